/**
 * The typed description of a messaging topology and of each environment's profile: what users
 * write. The model resolves and validates it (`resolve/`) and turns it into a provider-neutral
 * resource graph (`graph/`). Pure TypeScript: nothing here imports cdktf.
 */

/**
 * An environment's name, chosen by the profiles (`development`, `qa`, `pr-123`, …): lowercase
 * letters, digits and `-`, starting with a letter. It is part of every resource name.
 */
export type EnvironmentName = string;

/** How missing CloudWatch datapoints are treated. */
export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';
export type AlarmStatistic = 'Average' | 'Maximum' | 'Minimum' | 'Sum' | 'SampleCount';
export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** Settings of one alarm; every field optional in input, all resolved in the spec. */
export interface AlarmSettings {
  /** Create this alarm. @default true */
  readonly enabled?: boolean;
  /** Threshold the statistic is compared with. */
  readonly threshold?: number;
  /** Statistic over each period. */
  readonly statistic?: AlarmStatistic;
  /** Length of one evaluation period in seconds (10, 30 or a multiple of 60). */
  readonly periodSeconds?: number;
  /** Number of periods evaluated. Range 1 – 100 (and period × periods ≤ 1 day). */
  readonly evaluationPeriods?: number;
  /** Breaching periods (of `evaluationPeriods`) that fire the alarm. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** How missing datapoints count. */
  readonly treatMissingData?: TreatMissingData;
}

/** The alarms each queue pair gets (defaults in `defaults.ts`, with the reason for each). */
export interface QueueAlarmSettings {
  /** Visible messages on the main queue (ApproximateNumberOfMessagesVisible). On by default. */
  readonly depth?: AlarmSettings;
  /** Age of the oldest message on the main queue (ApproximateAgeOfOldestMessage), in seconds. On by default. */
  readonly oldestMessageAge?: AlarmSettings;
  /** Visible messages on the dead-letter queue. On by default. */
  readonly deadLetterQueue?: AlarmSettings;
  /**
   * Seconds the visible backlog needs to drain at the current delete rate (metric math, see
   * `metrics.ts`; its statistic is fixed). Off by default: a queue that is meant to buffer bursts
   * drains slowly on purpose.
   */
  readonly timeToDrain?: AlarmSettings;
}

/** The alarms each function gets (defaults in `defaults.ts`, with the reason for each). */
export interface FunctionAlarmSettings {
  /**
   * Failed invocations as a percentage of invocations (metric math; its statistic is fixed), so a
   * busy function is not noisier than a quiet one. On by default.
   */
  readonly errorRate?: AlarmSettings;
  /** Throttled invocations (Throttles, summed). On by default. */
  readonly throttles?: AlarmSettings;
}

/** Settings of one queue/DLQ pair. Ranges and defaults are in `limits.ts` and `defaults.ts`. */
export interface QueueSettings {
  /** FIFO queue (its DLQ is FIFO too; both names end in `.fifo`). @default false */
  readonly fifo?: boolean;
  /** FIFO only: deduplicate by a SHA-256 of the body. @default false */
  readonly contentBasedDeduplication?: boolean;
  /**
   * FIFO only: high-throughput mode. Sets `deduplicationScope: messageGroup` and
   * `fifoThroughputLimit: perMessageGroupId`. @default false
   */
  readonly highThroughputFifo?: boolean;
  /** FIFO only: `queue` or `messageGroup`. @default 'queue' (or 'messageGroup' with highThroughputFifo) */
  readonly deduplicationScope?: 'queue' | 'messageGroup';
  /** FIFO only: `perQueue` or `perMessageGroupId` (needs deduplicationScope `messageGroup`). @default 'perQueue' */
  readonly fifoThroughputLimit?: 'perQueue' | 'perMessageGroupId';
  /** Seconds a received message stays hidden. Range 0 – 43,200. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Seconds a message is kept. Range 60 – 1,209,600. @default 345,600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** Seconds every new message is delayed. Range 0 – 900. @default 0 */
  readonly deliveryDelaySeconds?: number;
  /** Long-polling wait. Range 0 – 20. @default 20 */
  readonly receiveWaitTimeSeconds?: number;
  /** Largest message in bytes. Range 1,024 – 1,048,576. @default 1,048,576 (1 MiB) */
  readonly maximumMessageSizeBytes?: number;
  /** Receives before a message moves to the DLQ. Range 1 – 1,000. @default 5 */
  readonly maxReceiveCount?: number;
  /** Seconds the DLQ keeps a message. Range 60 – 1,209,600. @default 1,209,600 (14 days) */
  readonly deadLetterRetentionSeconds?: number;
  /** Alarm overrides for this queue. */
  readonly alarms?: QueueAlarmSettings;
  /** Extra tags for this pair's resources. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One queue/DLQ pair in the topology. */
export interface QueueDefinition extends QueueSettings {
  /** Logical name, `[A-Za-z0-9_-]`; resources are named `<env>-<name>-queue` / `<env>-<name>-dlq`. */
  readonly name: string;
  /** What the queue carries, for docs and tags. */
  readonly description?: string;
}

/** How a consumer Lambda reads its queue (the event source mapping). */
export interface ConsumerSettings {
  /** Logical name of the queue this function consumes. */
  readonly queue: string;
  /** Records per invocation. Range 1 – 10 (FIFO) or 1 – 10,000 (standard; > 10 needs a window ≥ 1 s). @default 10 */
  readonly batchSize?: number;
  /** Seconds to gather a batch. Range 0 – 300; must be 0 on FIFO. @default 0 */
  readonly maximumBatchingWindowSeconds?: number;
  /** Most concurrent invocations this mapping drives. Range 2 – 1,000. @default undefined (no limit) */
  readonly maximumConcurrency?: number;
}

/** Function settings that a profile may override per environment. */
export interface FunctionSettings {
  /** Seconds per invocation. Range 1 – 900. @default 10 */
  readonly timeoutSeconds?: number;
  /** Memory in MB. Range 128 – 10,240. @default 256 */
  readonly memorySizeMb?: number;
  /** Reserved concurrency; 0 stops the function. Range 0 – 1,000. @default undefined (unreserved) */
  readonly reservedConcurrency?: number;
  /** Active X-Ray tracing. @default false */
  readonly tracing?: boolean;
  /** Days CloudWatch keeps the function's logs (a CloudWatch retention value). @default from the environment */
  readonly logRetentionDays?: number;
  /** Log level for Powertools logger. @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Seconds a handled event is remembered in the idempotency table, so a repeat is not handled
   * again. Range 60 – 31,536,000 (a year). @default for a consumer, its input queue's retention
   * plus its DLQ's (a redelivery or a redrive can arrive that late); for a producer 86,400 (a day
   * of client retries)
   */
  readonly idempotencyExpirySeconds?: number;
  /** Alarm settings of the function (per kind, merged over the profile's `functionDefaults.alarms`). */
  readonly alarms?: FunctionAlarmSettings;
}

/** One Lambda service in the topology. */
export interface FunctionDefinition extends FunctionSettings {
  /** Logical name, `[A-Za-z0-9_-]`; the function is `<env>-<name>`. */
  readonly name: string;
  /** Path of the TypeScript handler module (exports `handler`), absolute or relative to the working directory. */
  readonly entry: string;
  readonly description?: string;
  /** The queue this function consumes, if any. */
  readonly consumes?: ConsumerSettings;
  /** Queues this function sends to; each gets `<NAME>_QUEUE_URL` in the environment and its send policy. */
  readonly publishesTo?: readonly string[];
  /** Expose the function through a Lambda function URL with IAM auth. @default false */
  readonly functionUrl?: boolean;
  /**
   * Your own environment variables (names `[A-Za-z][A-Za-z0-9_]*`, not `AWS_…` and not one the
   * model sets). @default none
   */
  readonly environmentVariables?: Readonly<Record<string, string>>;
}

/** The whole topology: the same in every environment. */
export interface Topology {
  readonly queues: readonly QueueDefinition[];
  readonly functions?: readonly FunctionDefinition[];
}

/** Server-side encryption of queues. */
export type EncryptionSettings =
  | { readonly type: 'sqs-managed' }
  | {
      readonly type: 'kms';
      /**
       * Existing key; when absent a key with rotation is created for the environment, and it also
       * encrypts the functions' log groups. With an existing key the log groups keep CloudWatch
       * Logs' own encryption: a log group needs a key ARN (not an alias) whose key policy admits
       * CloudWatch Logs, and that policy is not this project's to write.
       */
      readonly keyArn?: string;
      /** Seconds SQS reuses a data key. Range 60 – 86,400. @default 300 */
      readonly dataKeyReusePeriodSeconds?: number;
    };

/** Where alarms send notifications. */
export interface AlertSettings {
  /** Existing SNS topic; when absent `<env>-sqs-alerts` is created. */
  readonly topicArn?: string;
  /** Alarms notify (otherwise they only change state). @default true */
  readonly actionsEnabled?: boolean;
  /** Also notify when an alarm returns to OK. @default false */
  readonly okActions?: boolean;
}

/** The environment's idempotency table (one per environment, shared by its functions). */
export interface IdempotencySettings {
  /** Point-in-time recovery of the table (35 days of restores; billed per GB). @default false */
  readonly pointInTimeRecovery?: boolean;
  /** Refuse to delete the table until this is turned off. @default false */
  readonly deletionProtection?: boolean;
}

/** The environment's CloudWatch dashboard. */
export interface DashboardSettings {
  /** Create the dashboard (`<prefix>-messaging`; CloudWatch bills per dashboard per month). @default true */
  readonly enabled?: boolean;
}

/** The queue endpoints published in SSM Parameter Store, for apps that look them up at runtime. */
export interface ParameterSettings {
  /** Publish them (standard parameters: no charge). @default true */
  readonly enabled?: boolean;
  /**
   * Path the parameters are under: `<path>/<queue>/queue-url`, `…/queue-arn`, `…/dlq-url`,
   * `…/dlq-arn`. Starts with `/`, segments of `[A-Za-z0-9_.-]`, no trailing `/`.
   * @default '/<scope>/<environment>/messaging' ('/<environment>/messaging' without a scope)
   */
  readonly path?: string;
}

/** Optional S3 remote state for an environment's stack. */
export interface RemoteStateSettings {
  readonly bucket: string;
  /** Object key of the state. @default '<environment>/messaging.tfstate' (`<scope>/<environment>/…` with a scope) */
  readonly key?: string;
  readonly region?: string;
  /** DynamoDB lock table (older S3 backends). */
  readonly dynamodbTable?: string;
  /** S3-native locking (Terraform ≥ 1.10). @default true */
  readonly useLockfile?: boolean;
}

/** What differs between environments. Everything is optional; see `defaults.ts`. */
export interface EnvironmentProfile {
  /**
   * Prefix of every resource name, so that two deployments of the kit share one account without
   * collisions: `<scope>-<environment>-order-queue`. Lowercase letters, digits and `-`, starting
   * with a letter. @default none (`<environment>-order-queue`)
   */
  readonly scope?: string;
  /** Provider region; when absent Terraform uses AWS_REGION / the AWS config. */
  readonly region?: string;
  readonly encryption?: EncryptionSettings;
  readonly alerts?: AlertSettings;
  /** Alarm settings applied to every queue in this environment (functions: `functionDefaults.alarms`). */
  readonly alarms?: QueueAlarmSettings;
  /** Per-queue overrides, by logical queue name. */
  readonly queues?: Readonly<Record<string, QueueSettings>>;
  /** Settings applied to every function in this environment. */
  readonly functionDefaults?: FunctionSettings;
  /** Per-function overrides, by logical function name. */
  readonly functions?: Readonly<Record<string, FunctionSettings>>;
  /** Days function logs are kept. @default 30 */
  readonly logRetentionDays?: number;
  /** Tags on every resource (Environment and ManagedBy are always added). */
  readonly tags?: Readonly<Record<string, string>>;
  /** S3 backend for this stack's state. @default undefined (local state) */
  readonly remoteState?: RemoteStateSettings;
  /** The idempotency table's protection. @default both off */
  readonly idempotency?: IdempotencySettings;
  /** The environment's dashboard. @default created */
  readonly dashboard?: DashboardSettings;
  /** Queue endpoints in SSM Parameter Store. @default published under `/<scope>/<environment>/messaging` */
  readonly parameters?: ParameterSettings;
}

/** The profiles by environment name: their keys are the environments that exist. */
export type EnvironmentProfiles = Readonly<Record<EnvironmentName, EnvironmentProfile>>;

