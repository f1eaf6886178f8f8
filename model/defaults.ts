/**
 * Defaults, each with the reason it was chosen. Renderers never re-derive these: they read the
 * resolved spec.
 */
import type { AlertSettings, AlarmSettings, FunctionSettings } from './input';
import type { FunctionAlarmKind, QueueAlarmKind } from './naming';

export const MINUTE = 60;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const QUEUE_DEFAULTS = {
  fifo: false,
  contentBasedDeduplication: false,
  // AWS's default. A consumer must finish (or extend) within it or the message is delivered again.
  visibilityTimeoutSeconds: 30,
  // AWS's default of 4 days: long enough to ride out a weekend outage of a consumer.
  messageRetentionSeconds: 4 * DAY,
  deliveryDelaySeconds: 0,
  // Long polling: fewer empty receives (each is billed) and no false "empty" answers.
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
  receiveWaitTimeSeconds: 20,
  // 1 MiB, the SQS maximum since August 2025. Set explicitly: the Terraform provider's default
  // (256 KiB) and AWS's default differ.
  maximumMessageSizeBytes: 1_048_576,
  // Lambda's docs recommend at least 5 so throttled invocations do not dead-letter healthy messages.
  // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
  maxReceiveCount: 5,
  // The maximum (14 days): the most time to inspect and redrive. Must exceed the source's retention
  // because a standard message's age counts from its original enqueue time.
  deadLetterRetentionSeconds: 14 * DAY,
} as const;

/** Alarm defaults: the seed thresholds of the reference topology (DESIGN §1). */
export const ALARM_DEFAULTS: Readonly<Record<QueueAlarmKind, Required<AlarmSettings>>> = {
  // A backlog that persists for 10 minutes, not a burst: average over 2 × 5 minutes.
  depth: {
    enabled: true,
    threshold: 1000,
    statistic: 'Average',
    periodSeconds: 5 * MINUTE,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    // SQS stops publishing metrics for a queue idle for ~6 hours; an idle queue is not a backlog.
    treatMissingData: 'notBreaching',
  },
  // Consumers stalled: the oldest message has waited over 5 minutes, for 5 minutes in a row.
  oldestMessageAge: {
    enabled: true,
    threshold: 300,
    statistic: 'Maximum',
    periodSeconds: MINUTE,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    treatMissingData: 'notBreaching',
  },
  // Any dead-lettered message needs a human: one message in one minute fires.
  deadLetterQueue: {
    enabled: true,
    threshold: 1,
    statistic: 'Sum',
    periodSeconds: MINUTE,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // A DLQ that holds messages keeps publishing metrics, so missing data means empty.
    treatMissingData: 'notBreaching',
  },
  // Opt-in: a queue meant to buffer bursts drains slowly on purpose. When on: a backlog that would
  // take over 15 minutes to clear at the current delete rate, for 3 × 5 minutes.
  timeToDrain: {
    enabled: false,
    threshold: 15 * MINUTE,
    // Fixed by the measure (metric math over visible and deleted); listed for completeness.
    statistic: 'Average',
    periodSeconds: 5 * MINUTE,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    // No deletes and no backlog publish nothing: an idle queue drains in no time.
    treatMissingData: 'notBreaching',
  },
};

export const FUNCTION_ALARM_DEFAULTS: Readonly<Record<FunctionAlarmKind, Required<AlarmSettings>>> = {
  // More than 5 % of invocations failing for 3 × 5 minutes: past the odd poison message (which the
  // DLQ alarm reports), before a failing dependency fills the DLQs.
  errorRate: {
    enabled: true,
    threshold: 5,
    // Fixed by the measure (100 × Errors / Invocations, both summed); listed for completeness.
    statistic: 'Average',
    periodSeconds: 5 * MINUTE,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    // A function nobody invokes publishes nothing, and fails nothing.
    treatMissingData: 'notBreaching',
  },
  // 10 throttles in 5 minutes, twice in a row: reserved or account concurrency is too low for the
  // load (the queue backs up behind it), not a one-off burst.
  throttles: {
    enabled: true,
    threshold: 10,
    statistic: 'Sum',
    periodSeconds: 5 * MINUTE,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    // No invocations, no throttles.
    treatMissingData: 'notBreaching',
  },
};

export const ALERT_DEFAULTS: Required<Omit<AlertSettings, 'topicArn'>> = {
  actionsEnabled: true,
  // OK notifications double the traffic on the alert topic; opt in per environment.
  okActions: false,
};

export const FUNCTION_DEFAULTS: Required<Omit<FunctionSettings, 'reservedConcurrency' | 'logRetentionDays' | 'idempotencyExpirySeconds' | 'alarms'>> = {
  // Short handlers; a small timeout keeps the required queue visibility (6 × timeout) small.
  timeoutSeconds: 10,
  // 256 MB: the bundled SDK and Powertools start noticeably faster than at 128 MB.
  memorySizeMb: 256,
  tracing: false,
  logLevel: 'INFO',
};

/** The idempotency table and how long a handled event is remembered. */
export const IDEMPOTENCY_DEFAULTS = {
  // A producer's repeats are client retries: within minutes, a day covers retries after an outage.
  // (A consumer's default is derived from its input queue; see resolve/function.ts.)
  producerExpirySeconds: 86_400,
  // The table holds only dedup records, rebuilt by the next delivery: restores are rarely worth the
  // cost outside production, which turns both on in its profile.
  pointInTimeRecovery: false,
  deletionProtection: false,
} as const;

export const DASHBOARD_DEFAULTS = {
  // One per environment is what an operator opens first; $3 a month each beyond the free three.
  enabled: true,
} as const;

export const PARAMETER_DEFAULTS = {
  // Standard parameters cost nothing, and apps that look endpoints up need no redeploy when a
  // queue is replaced.
  enabled: true,
} as const;

/** Days function logs are kept when the environment does not say. */
export const LOG_RETENTION_DAYS_DEFAULT = 30;

/** SQS-managed SSE: free, on by default in AWS, and no key policy to manage. */
export const ENCRYPTION_DEFAULT = { type: 'sqs-managed' } as const;
/** The longest waiting period AWS allows: a scheduled key deletion can be cancelled for 30 days. */
export const KMS_KEY_DELETION_WINDOW_DAYS = 30;
/** AWS's default data key reuse period: fewer KMS calls, key material changes every 5 minutes. */
export const DATA_KEY_REUSE_DEFAULT_SECONDS = 300;

/** Graviton: about 20 % cheaper per GB-second than x86_64, and the bundles are plain JavaScript. */
export const LAMBDA_ARCHITECTURE = 'arm64' as const;
export const LAMBDA_RUNTIME = 'nodejs24.x' as const;
/** The bundle is `index.mjs` exporting `handler`. */
export const LAMBDA_HANDLER = 'index.handler';
/** CloudWatch namespace of the functions' EMF metrics. */
export const METRICS_NAMESPACE = 'SqsMessaging';

/** Tags every resource carries. */
export const MANAGED_BY_TAG = { ManagedBy: 'sqs-messaging-as-code' } as const;
