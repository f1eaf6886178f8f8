import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';

/**
 * An SDK v3 SQS client for the embedded server. The endpoint is explicit and wins over the host of
 * each queue URL (`useQueueUrlAsEndpoint: false`: the server's own URLs name
 * `sqs.<region>.localhost`, which does not resolve), and the credentials are fixed placeholders,
 * so a developer's real AWS credentials are never picked up or sent anywhere.
 * @param overrides e.g. `{ maxAttempts: 1 }` where a test must see every failed request
 */
export function createLocalSqsClient(endpoint: string, region: string, overrides: Partial<SQSClientConfig> = {}): SQSClient {
  return new SQSClient({
    endpoint,
    region,
    credentials: { ...LOCAL_CREDENTIALS },
    useQueueUrlAsEndpoint: false,
    // A dead local server should surface quickly instead of being retried for seconds.
    maxAttempts: 2,
    ...overrides,
  });
}

/** Placeholder credentials for the embedded server (it checks no signature; the SDK needs some). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Account id the embedded server uses in every queue URL and ARN. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** ARN of queue `name` in `region` on the embedded server. */
export function localQueueArn(region: string, name: string): string {
  return `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${name}`;
}
