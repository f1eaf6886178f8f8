/**
 * AWS limits the spec layer enforces, as data: one row per numeric setting with its range, unit and
 * the page that states it. `problems.ts` turns a row into the standard message
 * `<field> must be between A and B <unit>, but N was provided`.
 */

export interface NumericLimit {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  /** Where AWS documents the limit. */
  readonly source: string;
}

const SQS_ATTRIBUTES = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html';
const LAMBDA_FUNCTION = 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html';
const LAMBDA_ESM = 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html';
const CLOUDWATCH_ALARM = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html';

export const QUEUE_LIMITS = {
  visibilityTimeoutSeconds: { min: 0, max: 43_200, unit: 'seconds', source: SQS_ATTRIBUTES },
  messageRetentionSeconds: { min: 60, max: 1_209_600, unit: 'seconds', source: SQS_ATTRIBUTES },
  deliveryDelaySeconds: { min: 0, max: 900, unit: 'seconds', source: SQS_ATTRIBUTES },
  receiveWaitTimeSeconds: { min: 0, max: 20, unit: 'seconds', source: SQS_ATTRIBUTES },
  maximumMessageSizeBytes: { min: 1_024, max: 1_048_576, unit: 'bytes', source: SQS_ATTRIBUTES },
  maxReceiveCount: { min: 1, max: 1_000, unit: 'receives', source: SQS_ATTRIBUTES },
  deadLetterRetentionSeconds: { min: 60, max: 1_209_600, unit: 'seconds', source: SQS_ATTRIBUTES },
} as const satisfies Record<string, NumericLimit>;

export const KMS_LIMITS = {
  dataKeyReusePeriodSeconds: { min: 60, max: 86_400, unit: 'seconds', source: SQS_ATTRIBUTES },
} as const satisfies Record<string, NumericLimit>;

export const FUNCTION_LIMITS = {
  timeoutSeconds: { min: 1, max: 900, unit: 'seconds', source: LAMBDA_FUNCTION },
  memorySizeMb: { min: 128, max: 10_240, unit: 'MB', source: LAMBDA_FUNCTION },
  // The account's default concurrency quota is 1,000.
  reservedConcurrency: { min: 0, max: 1_000, unit: 'invocations', source: LAMBDA_FUNCTION },
} as const satisfies Record<string, NumericLimit>;

export const CONSUMER_LIMITS = {
  standardBatchSize: { min: 1, max: 10_000, unit: 'records', source: LAMBDA_ESM },
  fifoBatchSize: { min: 1, max: 10, unit: 'records', source: LAMBDA_ESM },
  maximumBatchingWindowSeconds: { min: 0, max: 300, unit: 'seconds', source: LAMBDA_ESM },
  maximumConcurrency: { min: 2, max: 1_000, unit: 'invocations', source: LAMBDA_ESM },
} as const satisfies Record<string, NumericLimit>;

/** A standard-queue batch larger than this needs a batching window of at least 1 s. */
export const BATCH_SIZE_WITHOUT_WINDOW = 10;

/** AWS: the queue's visibility timeout should be at least 6 × the function timeout. */
export const VISIBILITY_TO_TIMEOUT_FACTOR = 6;
export const VISIBILITY_RULE_SOURCE = 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html';

/** Below this, throttled Lambda invocations can dead-letter healthy messages (advisory). */
export const LAMBDA_MIN_RECOMMENDED_RECEIVE_COUNT = 5;

export const ALARM_LIMITS = {
  evaluationPeriods: { min: 1, max: 100, unit: 'periods', source: CLOUDWATCH_ALARM },
  periodSeconds: { min: 10, max: 86_400, unit: 'seconds', source: CLOUDWATCH_ALARM },
  threshold: { min: 0, max: Number.MAX_SAFE_INTEGER, unit: '', source: CLOUDWATCH_ALARM },
} as const satisfies Record<string, NumericLimit>;

/** CloudWatch evaluates at most one day of datapoints (period × evaluation periods). */
export const ALARM_MAX_EVALUATION_SECONDS = 86_400;

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** SQS queue names: letters, digits, hyphens and underscores, at most 80 characters with `.fifo`. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_QUEUE_NAME_LENGTH = 80;
/** Lambda function names and IAM role names: at most 64 characters. */
export const MAX_FUNCTION_NAME_LENGTH = 64;
/** SQS allows 50 tags per queue; tag keys ≤ 128 and values ≤ 256 characters. */
export const MAX_TAGS = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
