/**
 * The SQS client, created once per execution environment (module scope), so warm invocations
 * reuse its connections and credentials.
 */
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Region and credentials come from the Lambda environment. The endpoint is the regional one, or
 * `AWS_ENDPOINT_URL_SQS` when set (local mode).
 *
 * `useQueueUrlAsEndpoint: false`: by default the SDK sends each request to the host of the
 * QueueUrl when it differs from the resolved endpoint. In AWS both are the same regional
 * endpoint; locally the embedded server's queue URLs use host `sqs.<region>.localhost`, which
 * does not resolve, so the configured endpoint must win.
 *
 * `maxAttempts: 3`: the SDK's standard retry mode already retries throttling, 5xx and network
 * errors of a whole request; the publisher only adds retries for entries a successful
 * SendMessageBatch reported failed.
 *
 * Timeouts (the SDK has none by default): a hung connection becomes a failed request, so the
 * affected records are reported failed, instead of the whole batch running into the function
 * timeout (5–10 s here).
 */
export const sqsClient = new SQSClient({
  useQueueUrlAsEndpoint: false,
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
});
