/**
 * The DynamoDB client of the idempotency persistence layer, created once per execution environment
 * (module scope), so warm invocations reuse its connections and credentials.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Region and credentials come from the Lambda environment; the endpoint is the regional one, or
 * `AWS_ENDPOINT_URL_DYNAMODB` when set (local mode).
 *
 * Timeouts (the SDK has none by default), as for the SQS client: a hung connection becomes a failed
 * request, so the record is reported failed and retried, instead of the whole batch running into the
 * function timeout. A retried conditional put whose first attempt did land finds its own lock and
 * reports the record in progress, which is safe: it is retried after the lock expired.
 */
export const dynamoDbClient = new DynamoDBClient({
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
});
