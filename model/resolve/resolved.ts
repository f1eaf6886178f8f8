/**
 * The resolved settings the model derives from the user's description: every default applied,
 * every name derived, every rule checked. The graph builders (`graph/`) turn them into nodes;
 * nothing outside the model re-derives them.
 */
import type { AlarmStatistic, ComparisonOperator, EnvironmentName, RemoteStateSettings, TreatMissingData } from '../input';
import type { FunctionAlarmKind, QueueAlarmKind } from '../naming';

/** One CloudWatch metric of one resource. */
export interface ResolvedMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** e.g. `[{ name: 'QueueName', value: 'production-order-queue' }]`. */
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
  readonly statistic: AlarmStatistic;
}

/** What an alarm compares with its threshold: one metric, or metric math over several. */
export type ResolvedAlarmMetric =
  | ({ readonly kind: 'metric' } & ResolvedMetric)
  | {
      readonly kind: 'expression';
      /** CloudWatch metric math over the inputs' ids. */
      readonly expression: string;
      readonly label: string;
      readonly inputs: readonly ({ readonly id: string } & ResolvedMetric)[];
    };

export interface ResolvedAlarm {
  /** Alarm name, e.g. `production-order-queue-depth`. */
  readonly alarmName: string;
  readonly description: string;
  readonly metric: ResolvedAlarmMetric;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
}

/** The alarms a queue pair gets; disabled ones are left out. */
export type ResolvedQueueAlarms = Readonly<Partial<Record<QueueAlarmKind, ResolvedAlarm>>>;

/** The alarms a function gets; disabled ones are left out. */
export type ResolvedFunctionAlarms = Readonly<Partial<Record<FunctionAlarmKind, ResolvedAlarm>>>;

export interface ResolvedQueue {
  /** Brand: this object came out of the model. */
  readonly resolved: true;
  readonly environment: EnvironmentName;
  /** Logical name, e.g. `order`. */
  readonly name: string;
  readonly description: string;
  readonly fifo: boolean;
  /** e.g. `production-order-queue` or `production-payments-queue.fifo`. */
  readonly queueName: string;
  /** e.g. `production-order-dlq`. */
  readonly deadLetterQueueName: string;
  /** Managed policy names, e.g. `production-order-queue-send`. */
  readonly sendPolicyName: string;
  readonly consumePolicyName: string;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly deliveryDelaySeconds: number;
  readonly receiveWaitTimeSeconds: number;
  readonly maximumMessageSizeBytes: number;
  readonly maxReceiveCount: number;
  readonly deadLetterRetentionSeconds: number;
  /** FIFO attributes; undefined on standard queues. */
  readonly fifoSettings?: {
    readonly contentBasedDeduplication: boolean;
    readonly deduplicationScope: 'queue' | 'messageGroup';
    readonly fifoThroughputLimit: 'perQueue' | 'perMessageGroupId';
  };
  readonly encryption: ResolvedEncryption;
  readonly alarms: ResolvedQueueAlarms;
  readonly tags: Readonly<Record<string, string>>;
}

export type ResolvedEncryption =
  | { readonly type: 'sqs-managed' }
  | {
      readonly type: 'kms';
      /** Existing key ARN, or undefined when the environment creates its own key. */
      readonly keyArn?: string;
      readonly dataKeyReusePeriodSeconds: number;
    };

export interface ResolvedConsumer {
  readonly queue: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly maximumConcurrency?: number;
}

/**
 * How a function's log group is encrypted at rest: `environment-key` with the KMS key the
 * environment creates (its key policy lets CloudWatch Logs of the region use it);
 * `cloudwatch-logs` with CloudWatch Logs' own encryption.
 */
export type LogEncryption = 'environment-key' | 'cloudwatch-logs';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ResolvedFunction {
  readonly environment: EnvironmentName;
  readonly name: string;
  /** e.g. `production-order-service`. */
  readonly functionName: string;
  /** e.g. `production-order-service-role`. */
  readonly roleName: string;
  readonly description: string;
  /** Absolute path of the handler module. */
  readonly entry: string;
  readonly runtime: 'nodejs24.x';
  readonly architecture: 'arm64' | 'x86_64';
  /** `index.handler`: the bundle is `index.mjs`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly reservedConcurrency?: number;
  readonly tracing: boolean;
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly logEncryption: LogEncryption;
  readonly logLevel: LogLevel;
  readonly consumes?: ResolvedConsumer;
  readonly publishesTo: readonly string[];
  readonly functionUrl: boolean;
  /** Seconds a handled event is remembered in the idempotency table. */
  readonly idempotencyExpirySeconds: number;
  /** Plain environment variables. */
  readonly environmentVariables: Readonly<Record<string, string>>;
  /** Variables whose value is a queue's URL, e.g. `{ ORDER_QUEUE_URL: 'order' }`. */
  readonly queueUrlVariables: Readonly<Record<string, string>>;
  readonly alarms: ResolvedFunctionAlarms;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ResolvedAlerts {
  /** Name of the topic to create, or undefined when `existingTopicArn` is given. */
  readonly topicName?: string;
  readonly existingTopicArn?: string;
  readonly actionsEnabled: boolean;
  readonly okActions: boolean;
}

/** An advisory finding: not an error, printed once. */
export interface SpecWarning {
  /** What it is about, e.g. `queue "order"`. */
  readonly subject: string;
  readonly environment: EnvironmentName;
  readonly message: string;
}

export type ResolvedRemoteState = Required<Omit<RemoteStateSettings, 'dynamodbTable' | 'region'>> &
  Pick<RemoteStateSettings, 'dynamodbTable' | 'region'>;

export interface ResolvedIdempotencyTable {
  readonly tableName: string;
  readonly pointInTimeRecovery: boolean;
  readonly deletionProtection: boolean;
}

/** Everything one environment needs, fully resolved and validated. */
export interface ResolvedEnvironment {
  readonly environment: EnvironmentName;
  /** The profile's scope, when it has one. */
  readonly scope?: string;
  /** What every resource name starts with: `<scope>-<environment>` or `<environment>`. */
  readonly namePrefix: string;
  readonly region?: string;
  readonly encryption: ResolvedEncryption;
  /** Name of the KMS key alias created for this environment, when encryption is KMS without a key. */
  readonly kmsKeyAlias?: string;
  readonly alerts: ResolvedAlerts;
  readonly queues: readonly ResolvedQueue[];
  readonly functions: readonly ResolvedFunction[];
  readonly tags: Readonly<Record<string, string>>;
  readonly remoteState?: ResolvedRemoteState;
  /** The idempotency table, when the environment has functions. */
  readonly idempotencyTable?: ResolvedIdempotencyTable;
  /** The dashboard, unless the profile turns it off. */
  readonly dashboard?: { readonly dashboardName: string };
  /** The SSM parameters of the queue endpoints, unless the profile turns them off. */
  readonly parameters?: { readonly path: string; readonly readPolicyName: string };
  /** Advisory findings (printed once by the caller; see `formatWarning` and `distinctWarnings`). */
  readonly warnings: readonly SpecWarning[];
}
