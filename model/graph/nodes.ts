/**
 * The nodes of the provider-neutral resource graph. A node's `properties` use the names AWS's APIs
 * and CloudFormation use (`VisibilityTimeout`, `RedrivePolicy`, `AssumeRolePolicyDocument`, …): the
 * CloudFormation renderer writes them nearly as they are, the cdktf renderer maps them through one
 * name table, local mode passes an SQS queue's properties straight to `CreateQueue`.
 *
 * A node is either created (it has `properties`) or referenced (it exists already and has only the
 * attributes others may read of it, e.g. an alert topic brought by ARN). No renderer decides which.
 */
import type { PolicyDocument } from './policies';
import type { GraphValue, RefAttribute } from './values';

/** Every kind of resource the graph holds. */
export type NodeType = CreatedNode['type'];

/** What in the user's description a node comes from, for messages about it. */
export interface NodeOrigin {
  readonly kind: 'queue' | 'function' | 'environment';
  /** Logical name of the queue or function; the environment's name for environment-wide nodes. */
  readonly name: string;
}

interface CreatedBase<T extends string, P> {
  readonly id: string;
  readonly type: T;
  readonly origin: NodeOrigin;
  readonly properties: P;
  /** Tags of the resource, for types that take tags. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Nodes that must be created first, beyond the ones the properties refer to. */
  readonly dependsOn?: readonly string[];
}

export interface SqsQueueProperties {
  readonly QueueName: string;
  readonly VisibilityTimeout?: number;
  readonly MessageRetentionPeriod: number;
  readonly DelaySeconds?: number;
  readonly ReceiveMessageWaitTimeSeconds: number;
  readonly MaximumMessageSize: number;
  readonly RedrivePolicy?: { readonly deadLetterTargetArn: GraphValue; readonly maxReceiveCount: number };
  readonly RedriveAllowPolicy?: { readonly redrivePermission: 'byQueue'; readonly sourceQueueArns: readonly GraphValue[] };
  readonly SqsManagedSseEnabled?: boolean;
  readonly KmsMasterKeyId?: GraphValue;
  readonly KmsDataKeyReusePeriodSeconds?: number;
  readonly FifoQueue?: boolean;
  readonly ContentBasedDeduplication?: boolean;
  readonly DeduplicationScope?: 'queue' | 'messageGroup';
  readonly FifoThroughputLimit?: 'perQueue' | 'perMessageGroupId';
}
export type SqsQueueNode = CreatedBase<'sqs:queue', SqsQueueProperties>;

export type SqsQueuePolicyNode = CreatedBase<'sqs:queue-policy', { readonly Queues: readonly GraphValue[]; readonly PolicyDocument: PolicyDocument }>;

export type ManagedPolicyNode = CreatedBase<
  'iam:managed-policy',
  { readonly ManagedPolicyName: string; readonly Description: string; readonly PolicyDocument: PolicyDocument }
>;

export interface InlinePolicy {
  readonly PolicyName: string;
  readonly PolicyDocument: PolicyDocument;
}

export type RoleNode = CreatedBase<
  'iam:role',
  {
    readonly RoleName: string;
    readonly Description: string;
    readonly AssumeRolePolicyDocument: PolicyDocument;
    readonly Policies: readonly InlinePolicy[];
    /** The managed policies attached to the role (references to `iam:managed-policy` nodes). */
    readonly ManagedPolicyArns: readonly GraphValue[];
  }
>;

export type LogGroupNode = CreatedBase<
  'logs:log-group',
  { readonly LogGroupName: string; readonly RetentionInDays: number; readonly KmsKeyId?: GraphValue }
>;

export interface FunctionProperties {
  readonly FunctionName: string;
  readonly Description: string;
  readonly Role: GraphValue;
  readonly Runtime: string;
  readonly Architectures: readonly string[];
  readonly Handler: string;
  readonly Timeout: number;
  readonly MemorySize: number;
  readonly ReservedConcurrentExecutions?: number;
  readonly Environment: { readonly Variables: Readonly<Record<string, GraphValue>> };
  readonly TracingConfig: { readonly Mode: 'Active' | 'PassThrough' };
  readonly LoggingConfig: { readonly LogFormat: 'JSON'; readonly LogGroup: GraphValue };
}
export interface FunctionNode extends CreatedBase<'lambda:function', FunctionProperties> {
  /** The handler module to bundle (absolute path); each renderer packages the bundle its way. */
  readonly code: { readonly entry: string };
}

export type FunctionUrlNode = CreatedBase<'lambda:url', { readonly AuthType: 'AWS_IAM'; readonly TargetFunctionArn: GraphValue }>;

export type EventSourceMappingNode = CreatedBase<
  'lambda:event-source-mapping',
  {
    readonly EventSourceArn: GraphValue;
    readonly FunctionName: GraphValue;
    readonly BatchSize: number;
    readonly MaximumBatchingWindowInSeconds: number;
    readonly FunctionResponseTypes: readonly 'ReportBatchItemFailures'[];
    readonly ScalingConfig?: { readonly MaximumConcurrency: number };
  }
>;

/** A metric's dimensions, e.g. `[{ Name: 'QueueName', Value: 'production-order-queue' }]`. */
export type MetricDimensions = readonly { readonly Name: string; readonly Value: GraphValue }[];

/** One query of a metric-math alarm: a metric it reads (by id) or the expression it compares. */
export type MetricDataQuery =
  | {
      readonly Id: string;
      readonly ReturnData: false;
      readonly MetricStat: {
        readonly Metric: { readonly Namespace: string; readonly MetricName: string; readonly Dimensions: MetricDimensions };
        readonly Period: number;
        readonly Stat: string;
      };
    }
  | { readonly Id: string; readonly ReturnData: true; readonly Expression: string; readonly Label: string };

/**
 * A CloudWatch alarm on one metric (`Namespace` … `Period`) or on metric math (`Metrics`, whose one
 * `ReturnData` query is compared with the threshold); never both.
 */
export type AlarmNode = CreatedBase<
  'cloudwatch:alarm',
  {
    readonly AlarmName: string;
    readonly AlarmDescription: string;
    readonly Namespace?: string;
    readonly MetricName?: string;
    readonly Dimensions?: MetricDimensions;
    readonly Statistic?: string;
    readonly Period?: number;
    readonly Metrics?: readonly MetricDataQuery[];
    readonly EvaluationPeriods: number;
    readonly DatapointsToAlarm: number;
    readonly Threshold: number;
    readonly ComparisonOperator: string;
    readonly TreatMissingData: string;
    readonly ActionsEnabled: boolean;
    readonly AlarmActions: readonly GraphValue[];
    readonly OKActions?: readonly GraphValue[];
  }
>;

export type TopicNode = CreatedBase<'sns:topic', { readonly TopicName: string; readonly KmsMasterKeyId?: GraphValue }>;

export type TopicPolicyNode = CreatedBase<'sns:topic-policy', { readonly Topics: readonly GraphValue[]; readonly PolicyDocument: PolicyDocument }>;

export type KeyNode = CreatedBase<
  'kms:key',
  { readonly Description: string; readonly EnableKeyRotation: boolean; readonly PendingWindowInDays: number; readonly KeyPolicy: PolicyDocument }
>;

export type KeyAliasNode = CreatedBase<'kms:alias', { readonly AliasName: string; readonly TargetKeyId: GraphValue }>;

export type TableNode = CreatedBase<
  'dynamodb:table',
  {
    readonly TableName: string;
    readonly BillingMode: 'PAY_PER_REQUEST';
    readonly AttributeDefinitions: readonly { readonly AttributeName: string; readonly AttributeType: 'S' }[];
    readonly KeySchema: readonly { readonly AttributeName: string; readonly KeyType: 'HASH' }[];
    readonly TimeToLiveSpecification: { readonly AttributeName: string; readonly Enabled: boolean };
    readonly SSESpecification: { readonly SSEEnabled: boolean; readonly SSEType: 'KMS'; readonly KMSMasterKeyId?: GraphValue };
    readonly PointInTimeRecoverySpecification: { readonly PointInTimeRecoveryEnabled: boolean };
    readonly DeletionProtectionEnabled: boolean;
  }
>;

/** A node the graph creates. */
export type CreatedNode =
  | SqsQueueNode
  | SqsQueuePolicyNode
  | ManagedPolicyNode
  | RoleNode
  | LogGroupNode
  | FunctionNode
  | FunctionUrlNode
  | EventSourceMappingNode
  | AlarmNode
  | TopicNode
  | TopicPolicyNode
  | KeyNode
  | KeyAliasNode
  | TableNode
  | DashboardNode
  | ParameterNode;

/**
 * A CloudWatch dashboard. `DashboardBody` is the body as an object (its ARNs and regions as
 * account strings); renderers write it as the JSON text CloudWatch takes.
 */
export type DashboardNode = CreatedBase<'cloudwatch:dashboard', { readonly DashboardName: string; readonly DashboardBody: DashboardBody }>;

/** A CloudWatch dashboard body: widgets on a 24-column grid. */
export interface DashboardBody {
  readonly widgets: readonly DashboardWidget[];
}

export interface DashboardWidget {
  readonly type: 'metric' | 'text' | 'alarm';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Readonly<Record<string, GraphValue>>;
}

/** A plain-text SSM parameter (standard tier). */
export type ParameterNode = CreatedBase<
  'ssm:parameter',
  { readonly Name: string; readonly Type: 'String'; readonly Tier: 'Standard'; readonly Value: GraphValue; readonly Description: string }
>;

/** A node that exists already: the graph knows only the attributes others read of it. */
export interface ReferencedNode {
  readonly id: string;
  readonly type: NodeType;
  readonly origin: NodeOrigin;
  readonly existing: Readonly<Partial<Record<RefAttribute, string>>>;
}

export type GraphNode = CreatedNode | ReferencedNode;

export function isCreated(node: GraphNode): node is CreatedNode {
  return !('existing' in node);
}

/** The created node of `type` with `id`, typed; throws when the graph has none. */
export function nodeOfType<T extends NodeType>(nodes: readonly GraphNode[], id: string, type: T): Extract<CreatedNode, { type: T }> {
  const node = nodes.find((candidate) => candidate.id === id);
  if (!node || !isCreated(node) || node.type !== type) throw new Error(`the graph has no created ${type} node "${id}"`);
  return node as Extract<CreatedNode, { type: T }>;
}

/** An output apps read: a Terraform output, a CloudFormation output with an export, a local output. */
export interface GraphOutput {
  /** Output name, e.g. `order_queue_url`. */
  readonly name: string;
  /** CloudFormation output logical id, e.g. `OrderQueueUrl`. */
  readonly id: string;
  /** CloudFormation export name, e.g. `production-OrderQueueUrl`. */
  readonly exportName: string;
  /** Names the logical thing, not the environment (one template serves every environment). */
  readonly description: string;
  readonly value: GraphValue;
  readonly origin: NodeOrigin;
}
