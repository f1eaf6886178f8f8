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
const SSM_PARAMETERS = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html';

/** SSM: a parameter name has at most 15 levels (`/a/b/…`), and its first may not start with "aws" or "ssm". */
export const SSM_PARAMETER_MAX_LEVELS = 15;
export const SSM_RESERVED_PREFIX = /^\/(aws|ssm)/i;

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
  // At least a minute (a record must outlive the invocation that wrote it), at most a year.
  idempotencyExpirySeconds: { min: 60, max: 31_536_000, unit: 'seconds', source: 'https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/' },
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

/** Logical names of queues and functions: letters, digits, hyphens and underscores. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * Environment names and scopes: lowercase letters, digits and hyphens, starting with a letter and
 * not ending with a hyphen. They start every resource name, and some services (S3 keys, SSM paths,
 * CloudFormation exports) are case-sensitive while IAM is not: lowercase keeps them one name.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

/** Tags: at most 50 per resource after merging, keys ≤ 128 and values ≤ 256 characters. */
export const MAX_TAGS = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** Characters AWS allows in tag keys and values (letters, digits, spaces and `_.:/=+-@`). */
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The rules AWS puts on a kind of name or description. */
export interface NameRule {
  /** What the name is, in messages: `IAM role name`. */
  readonly what: string;
  readonly min?: number;
  readonly max: number;
  /** Counted in `characters` (default) or UTF-8 `bytes`. */
  readonly unit?: 'characters' | 'bytes';
  readonly pattern?: RegExp;
  /** The allowed characters, in words, for messages. */
  readonly allowed?: string;
  readonly source: string;
}

const IAM_NAMES = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html';
const IAM_NAME_PATTERN = /^[\w+=,.@-]+$/;
const IAM_CHARACTERS = 'letters, digits and +=,.@_-';

/** Every kind of name and description the model derives, with AWS's limits (one row each). */
export const NAME_RULES = {
  sqsQueue: { what: 'SQS queue name', min: 1, max: 80, pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/, allowed: 'letters, digits, - and _', source: SQS_ATTRIBUTES },
  lambdaFunction: { what: 'Lambda function name', min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, - and _', source: LAMBDA_FUNCTION },
  lambdaDescription: { what: 'Lambda function description', max: 256, source: LAMBDA_FUNCTION },
  iamRole: { what: 'IAM role name', min: 1, max: 64, pattern: IAM_NAME_PATTERN, allowed: IAM_CHARACTERS, source: IAM_NAMES },
  iamPolicy: { what: 'IAM policy name', min: 1, max: 128, pattern: IAM_NAME_PATTERN, allowed: IAM_CHARACTERS, source: IAM_NAMES },
  iamDescription: { what: 'IAM description', max: 1000, source: IAM_NAMES },
  alarmName: { what: 'CloudWatch alarm name', min: 1, max: 255, pattern: /^[\x20-\x7e]+$/, allowed: 'printable ASCII', source: CLOUDWATCH_ALARM },
  alarmDescription: { what: 'CloudWatch alarm description', max: 1024, source: CLOUDWATCH_ALARM },
  logGroup: { what: 'CloudWatch Logs log group name', min: 1, max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, allowed: 'letters, digits and ._-/#', source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html' },
  snsTopic: { what: 'SNS topic name', min: 1, max: 256, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, - and _', source: 'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html' },
  kmsAlias: { what: 'KMS alias', min: 7, max: 256, pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/, allowed: 'letters, digits, /_- after "alias/" (not "alias/aws/")', source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html' },
  s3Bucket: {
    what: 'S3 bucket name',
    min: 3,
    max: 63,
    // Lowercase letters, digits, dots and hyphens; starts and ends with a letter or digit.
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    allowed: 'lowercase letters, digits, . and -, starting and ending with a letter or digit',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
  },
  s3Key: { what: 'S3 object key', min: 1, max: 1024, unit: 'bytes', source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html' },
  dynamodbTable: { what: 'DynamoDB table name', min: 3, max: 255, pattern: /^[a-zA-Z0-9_.-]+$/, allowed: 'letters, digits, _ . and -', source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html' },
  cloudwatchDashboard: {
    what: 'CloudWatch dashboard name',
    min: 1,
    max: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: 'letters, digits, - and _',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
  },
  ssmParameter: {
    what: 'SSM parameter name',
    min: 1,
    // 1,011 with the ARN in front (`arn:aws:ssm:<region>:<account>:parameter`, up to ~60 characters).
    max: 950,
    pattern: /^(\/[A-Za-z0-9_.-]+)+$/,
    allowed: '"/"-separated segments of letters, digits, _ . and -',
    source: SSM_PARAMETERS,
  },
  cloudFormationLogicalId: { what: 'CloudFormation logical id', min: 1, max: 255, pattern: /^[A-Za-z0-9]+$/, allowed: 'letters and digits', source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html' },
  cloudFormationExport: { what: 'CloudFormation export name', min: 1, max: 255, pattern: /^[A-Za-z0-9:-]+$/, allowed: 'letters, digits, : and -', source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html' },
} as const satisfies Record<string, NameRule>;
