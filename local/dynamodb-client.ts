import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { loadDynamoDbSdk } from './runtime-requirements';

/**
 * An SDK v3 DynamoDB client for the embedded server, with fixed placeholder credentials so a
 * developer's real AWS credentials are never picked up or sent anywhere (as createLocalSqsClient).
 * @param overrides e.g. `{ maxAttempts: 1 }` where a test must see every failed request
 */
export function createLocalDynamoDbClient(endpoint: string, region: string, overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClient {
  const sdk = loadDynamoDbSdk();
  return new sdk.DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A dead local server should surface quickly instead of being retried for seconds.
    maxAttempts: 2,
    ...overrides,
  });
}
