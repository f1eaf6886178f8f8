/**
 * The cdktf renderer's one name table: for each node type of the graph, the provider resource it
 * becomes, how each graph property maps to a resource argument, and which resource attribute a
 * reference reads. Every entry is checked against the provider's config type, and every graph
 * property must have an entry (the renderer throws on one that has none).
 *
 * Provider bindings are imported deep (`@cdktf/provider-aws/lib/<resource>`) and only in this
 * folder (DESIGN §2): the barrel loads ~2,200 modules.
 */
import { CloudwatchLogGroup, type CloudwatchLogGroupConfig } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamPolicy, type IamPolicyConfig } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole, type IamRoleConfig } from '@cdktf/provider-aws/lib/iam-role';
import { KmsAlias, type KmsAliasConfig } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey, type KmsKeyConfig } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaEventSourceMapping, type LambdaEventSourceMappingConfig } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction, type LambdaFunctionConfig } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl, type LambdaFunctionUrlConfig } from '@cdktf/provider-aws/lib/lambda-function-url';
import { SnsTopic, type SnsTopicConfig } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy, type SnsTopicPolicyConfig } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SqsQueue, type SqsQueueConfig } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy, type SqsQueuePolicyConfig } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { DynamodbTable, type DynamodbTableConfig } from '@cdktf/provider-aws/lib/dynamodb-table';
import { CloudwatchDashboard, type CloudwatchDashboardConfig } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { SsmParameter, type SsmParameterConfig } from '@cdktf/provider-aws/lib/ssm-parameter';
import type { TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { CreatedNode, NodeType, RefAttribute } from '../../model';

/**
 * How a graph value becomes an argument value:
 * - `value`: as it is;
 * - `json`: a JSON string (policies, redrive policies);
 * - `jsonSub`: a JSON string whose account strings Terraform fills with `replace()`, like
 *   CloudFormation's `Fn::Sub` (a large document: see terraform-sub.ts);
 * - `camel`: an object whose own keys become camelCase (`{ Variables }` → `{ variables }`), one level;
 * - `single`: the only item of a one-item list (`Queues: [url]` → `queueUrl`);
 * - a {@link StructureCodec}: a block Terraform shapes differently (DynamoDB's key schema, …);
 * - `handled`: rendered by the node renderer itself (a resource of its own, a code asset).
 */
export type Codec = 'value' | 'json' | 'jsonSub' | 'camel' | 'single' | 'handled' | StructureCodec;

/**
 * A block whose Terraform shape differs from the graph's beyond names: how to write it (to the
 * provider's config) and how to read it back (from the synthesized JSON, snake_case keys).
 */
export interface StructureCodec {
  readonly encode: (value: unknown) => unknown;
  readonly decode: (value: unknown) => unknown;
}

/** One graph property → one argument of the provider config `C`. */
export type PropertyRule<C> = keyof C | readonly [keyof C, Codec] | 'handled';

export interface NodeTable<N extends CreatedNode, C> {
  /** The provider resource class. */
  readonly resource: new (scope: Construct, id: string, config: C) => TerraformResource;
  /** Terraform resource type, e.g. `aws_sqs_queue` (tests read the synthesized JSON by it). */
  readonly terraformType: string;
  readonly properties: { readonly [K in keyof Required<N['properties']>]: PropertyRule<C> };
  /** Whether the node's tags go to the `tags` argument. */
  readonly tagged: boolean;
  /** The resource attribute a reference reads, per attribute the graph refers to. */
  readonly attributes: Partial<Record<RefAttribute, string>>;
}

type TableOf<T extends NodeType> = NodeTable<Extract<CreatedNode, { type: T }>, ConfigOf<T>>;
type ConfigOf<T extends NodeType> = {
  'sqs:queue': SqsQueueConfig;
  'sqs:queue-policy': SqsQueuePolicyConfig;
  'iam:managed-policy': IamPolicyConfig;
  'iam:role': IamRoleConfig;
  'logs:log-group': CloudwatchLogGroupConfig;
  'lambda:function': LambdaFunctionConfig;
  'lambda:url': LambdaFunctionUrlConfig;
  'lambda:event-source-mapping': LambdaEventSourceMappingConfig;
  'cloudwatch:alarm': CloudwatchMetricAlarmConfig;
  'sns:topic': SnsTopicConfig;
  'sns:topic-policy': SnsTopicPolicyConfig;
  'kms:key': KmsKeyConfig;
  'kms:alias': KmsAliasConfig;
  'dynamodb:table': DynamodbTableConfig;
  'cloudwatch:dashboard': CloudwatchDashboardConfig;
  'ssm:parameter': SsmParameterConfig;
}[T];

type Row = Record<string, unknown>;
/** `[{ AttributeName, AttributeType }]` ↔ `attribute { name, type }` blocks. */
const ATTRIBUTE_DEFINITIONS: StructureCodec = {
  encode: (value) => (value as Row[]).map((item) => ({ name: item.AttributeName, type: item.AttributeType })),
  decode: (value) => (value as Row[]).map((item) => ({ AttributeName: item.name, AttributeType: item.type })),
};
/** A partition-key-only schema ↔ `hash_key`. */
const HASH_KEY_SCHEMA: StructureCodec = {
  encode: (value) => {
    const keys = value as Row[];
    if (keys.length !== 1 || keys[0]!.KeyType !== 'HASH') throw new Error('only a partition key (HASH) is mapped to Terraform');
    return keys[0]!.AttributeName;
  },
  decode: (value) => [{ AttributeName: value, KeyType: 'HASH' }],
};
/** `{ SSEEnabled, SSEType: 'KMS', KMSMasterKeyId? }` ↔ `server_side_encryption { enabled, kms_key_arn }` (KMS implied). */
const TABLE_ENCRYPTION: StructureCodec = {
  encode: (value) => {
    const sse = value as Row;
    return { enabled: sse.SSEEnabled, ...(sse.KMSMasterKeyId !== undefined ? { kmsKeyArn: sse.KMSMasterKeyId } : {}) };
  },
  decode: (value) => {
    const block = value as Row;
    return { SSEEnabled: block.enabled, ...(block.enabled ? { SSEType: 'KMS' } : {}), ...(block.kms_key_arn !== undefined ? { KMSMasterKeyId: block.kms_key_arn } : {}) };
  },
};
/** `{ PointInTimeRecoveryEnabled }` ↔ `point_in_time_recovery { enabled }`. */
const POINT_IN_TIME_RECOVERY: StructureCodec = {
  encode: (value) => ({ enabled: (value as Row).PointInTimeRecoveryEnabled }),
  decode: (value) => ({ PointInTimeRecoveryEnabled: (value as Row).enabled }),
};

/** A metric's dimensions: `[{ Name, Value }]` ↔ `dimensions = { Name = Value }`. */
const DIMENSIONS: StructureCodec = {
  encode: (value) => Object.fromEntries((value as Row[]).map((dimension) => [dimension.Name, dimension.Value])),
  decode: (value) => Object.entries(value as Row).map(([Name, Value]) => ({ Name, Value })),
};

/**
 * A metric-math alarm's queries: `[{ Id, ReturnData, MetricStat: { Metric, Period, Stat } }, { Id,
 * ReturnData, Expression, Label }]` ↔ `metric_query { id, return_data, metric { namespace,
 * metric_name, dimensions = {…}, period, stat } }` / `metric_query { id, return_data, expression,
 * label }`.
 */
const METRIC_QUERIES: StructureCodec = {
  encode: (value) =>
    (value as Row[]).map((query) => {
      const stat = query.MetricStat as { Metric: Row; Period: number; Stat: string } | undefined;
      return {
        id: query.Id,
        returnData: query.ReturnData,
        ...(query.Expression !== undefined ? { expression: query.Expression, label: query.Label } : {}),
        ...(stat
          ? {
              metric: {
                namespace: stat.Metric.Namespace,
                metricName: stat.Metric.MetricName,
                dimensions: DIMENSIONS.encode(stat.Metric.Dimensions),
                period: stat.Period,
                stat: stat.Stat,
              },
            }
          : {}),
      };
    }),
  decode: (value) =>
    (value as Row[]).map((block) => {
      // cdktf writes a nested single block as an object (older versions: a one-item list).
      const metric = (Array.isArray(block.metric) ? block.metric[0] : block.metric) as Row | undefined;
      return {
        Id: block.id,
        ReturnData: block.return_data,
        ...(block.expression !== undefined ? { Expression: block.expression, Label: block.label } : {}),
        ...(metric
          ? {
              MetricStat: {
                Metric: {
                  Namespace: metric.namespace,
                  MetricName: metric.metric_name,
                  Dimensions: DIMENSIONS.decode(metric.dimensions),
                },
                Period: metric.period,
                Stat: metric.stat,
              },
            }
          : {}),
      };
    }),
};

export const NAME_TABLE: { readonly [T in NodeType]: TableOf<T> } = {
  'sqs:queue': {
    resource: SqsQueue,
    terraformType: 'aws_sqs_queue',
    properties: {
      QueueName: 'name',
      VisibilityTimeout: 'visibilityTimeoutSeconds',
      MessageRetentionPeriod: 'messageRetentionSeconds',
      DelaySeconds: 'delaySeconds',
      ReceiveMessageWaitTimeSeconds: 'receiveWaitTimeSeconds',
      MaximumMessageSize: 'maxMessageSize',
      RedrivePolicy: ['redrivePolicy', 'json'],
      RedriveAllowPolicy: ['redriveAllowPolicy', 'json'],
      SqsManagedSseEnabled: 'sqsManagedSseEnabled',
      KmsMasterKeyId: 'kmsMasterKeyId',
      KmsDataKeyReusePeriodSeconds: 'kmsDataKeyReusePeriodSeconds',
      FifoQueue: 'fifoQueue',
      ContentBasedDeduplication: 'contentBasedDeduplication',
      DeduplicationScope: 'deduplicationScope',
      FifoThroughputLimit: 'fifoThroughputLimit',
    },
    tagged: true,
    attributes: { arn: 'arn', url: 'url', name: 'name' },
  },
  'sqs:queue-policy': {
    resource: SqsQueuePolicy,
    terraformType: 'aws_sqs_queue_policy',
    properties: { Queues: ['queueUrl', 'single'], PolicyDocument: ['policy', 'json'] },
    tagged: false,
    attributes: {},
  },
  'iam:managed-policy': {
    resource: IamPolicy,
    terraformType: 'aws_iam_policy',
    properties: { ManagedPolicyName: 'name', Description: 'description', PolicyDocument: ['policy', 'json'] },
    tagged: false,
    attributes: { arn: 'arn', name: 'name' },
  },
  'iam:role': {
    resource: IamRole,
    terraformType: 'aws_iam_role',
    properties: {
      RoleName: 'name',
      Description: 'description',
      AssumeRolePolicyDocument: ['assumeRolePolicy', 'json'],
      // aws_iam_role_policy and aws_iam_role_policy_attachment resources (see render-node.ts).
      Policies: 'handled',
      ManagedPolicyArns: 'handled',
    },
    tagged: true,
    attributes: { arn: 'arn', name: 'name' },
  },
  'logs:log-group': {
    resource: CloudwatchLogGroup,
    terraformType: 'aws_cloudwatch_log_group',
    properties: { LogGroupName: 'name', RetentionInDays: 'retentionInDays', KmsKeyId: 'kmsKeyId' },
    tagged: true,
    attributes: { name: 'name' },
  },
  'lambda:function': {
    resource: LambdaFunction,
    terraformType: 'aws_lambda_function',
    properties: {
      FunctionName: 'functionName',
      Description: 'description',
      Role: 'role',
      Runtime: 'runtime',
      Architectures: 'architectures',
      Handler: 'handler',
      Timeout: 'timeout',
      MemorySize: 'memorySize',
      ReservedConcurrentExecutions: 'reservedConcurrentExecutions',
      Environment: ['environment', 'camel'],
      TracingConfig: ['tracingConfig', 'camel'],
      LoggingConfig: ['loggingConfig', 'camel'],
    },
    tagged: true,
    attributes: { arn: 'arn', name: 'functionName' },
  },
  'lambda:url': {
    resource: LambdaFunctionUrl,
    terraformType: 'aws_lambda_function_url',
    properties: { AuthType: 'authorizationType', TargetFunctionArn: 'functionName' },
    tagged: false,
    attributes: { functionUrl: 'functionUrl' },
  },
  'lambda:event-source-mapping': {
    resource: LambdaEventSourceMapping,
    terraformType: 'aws_lambda_event_source_mapping',
    properties: {
      EventSourceArn: 'eventSourceArn',
      FunctionName: 'functionName',
      BatchSize: 'batchSize',
      MaximumBatchingWindowInSeconds: 'maximumBatchingWindowInSeconds',
      FunctionResponseTypes: 'functionResponseTypes',
      ScalingConfig: ['scalingConfig', 'camel'],
    },
    tagged: false,
    attributes: {},
  },
  'cloudwatch:alarm': {
    resource: CloudwatchMetricAlarm,
    terraformType: 'aws_cloudwatch_metric_alarm',
    properties: {
      AlarmName: 'alarmName',
      AlarmDescription: 'alarmDescription',
      Namespace: 'namespace',
      MetricName: 'metricName',
      Dimensions: ['dimensions', DIMENSIONS],
      Statistic: 'statistic',
      Period: 'period',
      Metrics: ['metricQuery', METRIC_QUERIES],
      EvaluationPeriods: 'evaluationPeriods',
      DatapointsToAlarm: 'datapointsToAlarm',
      Threshold: 'threshold',
      ComparisonOperator: 'comparisonOperator',
      TreatMissingData: 'treatMissingData',
      ActionsEnabled: 'actionsEnabled',
      AlarmActions: 'alarmActions',
      OKActions: 'okActions',
    },
    tagged: true,
    attributes: { arn: 'arn', name: 'alarmName' },
  },
  'sns:topic': {
    resource: SnsTopic,
    terraformType: 'aws_sns_topic',
    properties: { TopicName: 'name', KmsMasterKeyId: 'kmsMasterKeyId' },
    tagged: true,
    attributes: { arn: 'arn', name: 'name' },
  },
  'sns:topic-policy': {
    resource: SnsTopicPolicy,
    terraformType: 'aws_sns_topic_policy',
    properties: { Topics: ['arn', 'single'], PolicyDocument: ['policy', 'json'] },
    tagged: false,
    attributes: {},
  },
  'kms:key': {
    resource: KmsKey,
    terraformType: 'aws_kms_key',
    properties: { Description: 'description', EnableKeyRotation: 'enableKeyRotation', PendingWindowInDays: 'deletionWindowInDays', KeyPolicy: ['policy', 'json'] },
    tagged: true,
    attributes: { arn: 'arn', id: 'keyId' },
  },
  'kms:alias': {
    resource: KmsAlias,
    terraformType: 'aws_kms_alias',
    properties: { AliasName: 'name', TargetKeyId: 'targetKeyId' },
    tagged: false,
    attributes: { name: 'name', arn: 'arn' },
  },
  'dynamodb:table': {
    resource: DynamodbTable,
    terraformType: 'aws_dynamodb_table',
    properties: {
      TableName: 'name',
      BillingMode: 'billingMode',
      AttributeDefinitions: ['attribute', ATTRIBUTE_DEFINITIONS],
      KeySchema: ['hashKey', HASH_KEY_SCHEMA],
      TimeToLiveSpecification: ['ttl', 'camel'],
      SSESpecification: ['serverSideEncryption', TABLE_ENCRYPTION],
      PointInTimeRecoverySpecification: ['pointInTimeRecovery', POINT_IN_TIME_RECOVERY],
      DeletionProtectionEnabled: 'deletionProtectionEnabled',
    },
    tagged: true,
    attributes: { arn: 'arn', name: 'name' },
  },
  'cloudwatch:dashboard': {
    resource: CloudwatchDashboard,
    terraformType: 'aws_cloudwatch_dashboard',
    properties: { DashboardName: 'dashboardName', DashboardBody: ['dashboardBody', 'jsonSub'] },
    // CloudWatch dashboards take no tags.
    tagged: false,
    attributes: { arn: 'dashboardArn', name: 'dashboardName' },
  },
  'ssm:parameter': {
    resource: SsmParameter,
    terraformType: 'aws_ssm_parameter',
    properties: { Name: 'name', Type: 'type', Tier: 'tier', Value: 'value', Description: 'description' },
    tagged: true,
    attributes: { arn: 'arn', name: 'name' },
  },
};

/** Terraform types of the resources the role and function nodes add beside their main resource. */
export const EXTRA_TERRAFORM_TYPES = {
  inlinePolicy: 'aws_iam_role_policy',
  policyAttachment: 'aws_iam_role_policy_attachment',
} as const;
