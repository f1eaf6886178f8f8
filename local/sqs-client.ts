import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * An SDK v3 SQS client for the embedded server. The endpoint is explicit (the server's queue URLs
 * would otherwise steer requests to hosts that do not resolve) and the credentials are fixed
 * placeholders, so a developer's real AWS credentials are never picked up or sent anywhere.
 */
export function createLocalSqsClient(endpoint: string, region: string): SQSClient {
  return new SQSClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A dead local server should surface quickly instead of being retried for seconds.
    maxAttempts: 2,
  });
}

/** Account id the embedded server uses in every queue URL and ARN. */
export const LOCAL_ACCOUNT_ID = '000000000000';
