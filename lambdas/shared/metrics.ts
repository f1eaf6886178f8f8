/**
 * CloudWatch Embedded Metric Format metrics: one Powertools Metrics instance per execution
 * environment. Namespace from `POWERTOOLS_METRICS_NAMESPACE` (`SqsMessaging`), `service` dimension
 * from `POWERTOOLS_SERVICE_NAME`, plus an `environment` dimension so the three environments'
 * metrics never mix. Handlers add metrics during an invocation and call
 * `metrics.publishStoredMetrics()` once at its end (one EMF line per invocation).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export { MetricUnit };

export const metrics = new Metrics({
  defaultDimensions: { environment: process.env.ENVIRONMENT ?? 'unknown' },
});

/** Names of the metrics our functions emit (all `Count`). */
export const MetricName = {
  /** SQS records received by a consumer. */
  RecordsReceived: 'RecordsReceived',
  /** Records reported back as failed (redelivered by SQS, to the DLQ after maxReceiveCount). */
  RecordsFailed: 'RecordsFailed',
  /** Records whose body was not JSON or did not match the event schema. */
  InvalidMessages: 'InvalidMessages',
  /** Messages SQS accepted from this function. */
  MessagesPublished: 'MessagesPublished',
  /** Messages that could not be published after all attempts. */
  PublishFailures: 'PublishFailures',
  /** Extra SendMessageBatch attempts for entries SQS reported failed. */
  PublishRetries: 'PublishRetries',
  /** Orders accepted by order-service. */
  OrdersAccepted: 'OrdersAccepted',
  /** Requests order-service rejected as invalid (HTTP 400). */
  InvalidOrderRequests: 'InvalidOrderRequests',
  /** Customer notifications sent by notification-service. */
  NotificationsSent: 'NotificationsSent',
  /** Records (or orders) whose idempotency key was done before: answered from the idempotency table, not handled again. */
  DuplicatesSkipped: 'DuplicatesSkipped',
  /** Records (or orders) refused because an earlier attempt still holds their in-progress lock (retried later). */
  InProgressElsewhere: 'InProgressElsewhere',
} as const;
