/**
 * Every policy document the graph holds — queue, topic and key policies, the send/consume managed
 * policies, the Lambda roles' trust and base policies — built once (DESIGN §2, §4). References to
 * resources are graph values (`ref(...)`, `accountString(...)`); actions come from `access.ts`,
 * account-dependent ARNs and principals from `arns.ts`.
 */
import {
  ALARMS_KEY_ACTIONS,
  CONSUME_ACTIONS,
  ENDPOINT_READ_ACTIONS,
  KMS_CONSUME_ACTIONS,
  KMS_SEND_ACTIONS,
  LOG_WRITE_ACTIONS,
  LOGS_KEY_ACTIONS,
  OPERATOR_DEAD_LETTER_QUEUE_ACTIONS,
  OPERATOR_KEY_ACTIONS,
  OPERATOR_QUEUE_ACTIONS,
  SEND_ACTIONS,
  XRAY_ACTIONS,
} from './access';
import { IDEMPOTENCY_TABLE_ACTIONS } from '../idempotency-contract';
import { ACCOUNT_ID, ACCOUNT_LOG_GROUPS_ARN, ACCOUNT_ROOT_ARN, LOGS_SERVICE_PRINCIPAL, parameterArnOf } from './arns';
import type { GraphValue } from './values';

export const POLICY_VERSION = '2012-10-17';

/** Statement ids, for readers of the policies (and tests that pick a statement). */
export const POLICY_SIDS = {
  denyInsecureTransport: 'DenyInsecureTransport',
  sendToQueue: 'SendToQueue',
  encryptWithQueueKey: 'EncryptWithQueueKey',
  consumeFromQueue: 'ConsumeFromQueue',
  decryptWithQueueKey: 'DecryptWithQueueKey',
  alarmsPublish: 'CloudWatchAlarmsPublish',
  accountGovernsKey: 'AccountIamPoliciesGovernUse',
  alarmsUseKey: 'CloudWatchAlarmsPublishToEncryptedTopic',
  logsUseKey: 'CloudWatchLogsEncryptLogGroups',
  denyGrantsExceptForAwsServices: 'DenyGrantsExceptForAwsServices',
  writeOwnLogs: 'WriteOwnLogs',
  writeTraces: 'WriteTraces',
  useIdempotencyTable: 'UseIdempotencyTable',
  operateDeadLetterQueues: 'OperateDeadLetterQueues',
  operateQueues: 'OperateQueues',
  operateWithQueueKey: 'OperateWithQueueKey',
  readQueueEndpoints: 'ReadQueueEndpoints',
  assumedByLambda: 'AssumedByLambda',
} as const;

const CLOUDWATCH_SERVICE_PRINCIPAL = 'cloudwatch.amazonaws.com';
const LAMBDA_SERVICE_PRINCIPAL = 'lambda.amazonaws.com';

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | { readonly AWS?: GraphValue; readonly Service?: GraphValue };
  readonly Action: string | readonly string[];
  /** Absent only in trust policies. In a key policy `*` means the key itself. */
  readonly Resource?: GraphValue;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, GraphValue>>>>;
}

export interface PolicyDocument {
  readonly Version: typeof POLICY_VERSION;
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: statements };
}

/** Denies `action` on `resource` to everyone over plain HTTP (`aws:SecureTransport` false). */
export function denyInsecureTransport(action: string, resource: GraphValue): PolicyStatement {
  return {
    Sid: POLICY_SIDS.denyInsecureTransport,
    Effect: 'Deny',
    Principal: '*',
    Action: action,
    Resource: resource,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** The policy of every queue and DLQ: no SQS action over plain HTTP. */
export function tlsOnlyQueuePolicy(queueArn: GraphValue): PolicyDocument {
  return policyDocument([denyInsecureTransport('sqs:*', queueArn)]);
}

/** A queue's `send` managed policy: send rights on the queue, plus what its KMS key needs. */
export function queueSendPolicy(queueArn: GraphValue, keyArn?: GraphValue): PolicyDocument {
  return policyDocument([
    { Sid: POLICY_SIDS.sendToQueue, Effect: 'Allow', Action: [...SEND_ACTIONS], Resource: queueArn },
    ...(keyArn !== undefined ? [keyStatement(POLICY_SIDS.encryptWithQueueKey, KMS_SEND_ACTIONS, keyArn)] : []),
  ]);
}

/** A queue's `consume` managed policy: receive/delete/extend on the queue, plus kms:Decrypt on its key. */
export function queueConsumePolicy(queueArn: GraphValue, keyArn?: GraphValue): PolicyDocument {
  return policyDocument([
    { Sid: POLICY_SIDS.consumeFromQueue, Effect: 'Allow', Action: [...CONSUME_ACTIONS], Resource: queueArn },
    ...(keyArn !== undefined ? [keyStatement(POLICY_SIDS.decryptWithQueueKey, KMS_CONSUME_ACTIONS, keyArn)] : []),
  ]);
}

function keyStatement(sid: string, actions: readonly string[], keyArn: GraphValue): PolicyStatement {
  return { Sid: sid, Effect: 'Allow', Action: [...actions], Resource: keyArn };
}

/**
 * The operator policy of an environment: exactly what the `ops` command does, on this
 * environment's queues only (DLQs and their sources are named, never `*`).
 */
export function operatorPolicy(deadLetterQueueArns: readonly GraphValue[], queueArns: readonly GraphValue[], keyArn?: GraphValue): PolicyDocument {
  return policyDocument([
    { Sid: POLICY_SIDS.operateDeadLetterQueues, Effect: 'Allow', Action: [...OPERATOR_DEAD_LETTER_QUEUE_ACTIONS], Resource: [...deadLetterQueueArns] },
    { Sid: POLICY_SIDS.operateQueues, Effect: 'Allow', Action: [...OPERATOR_QUEUE_ACTIONS], Resource: [...queueArns] },
    ...(keyArn !== undefined ? [keyStatement(POLICY_SIDS.operateWithQueueKey, OPERATOR_KEY_ACTIONS, keyArn)] : []),
  ]);
}

/** For app roles that look the queue endpoints up: read the parameters under `path`, nothing else. */
export function endpointsReadPolicy(path: string): PolicyDocument {
  return policyDocument([
    // GetParametersByPath is authorized on the path itself, GetParameter(s) on each parameter.
    { Sid: POLICY_SIDS.readQueueEndpoints, Effect: 'Allow', Action: [...ENDPOINT_READ_ACTIONS], Resource: [parameterArnOf(path), parameterArnOf(`${path}/*`)] },
  ]);
}

/** The alert topic's policy: only CloudWatch alarms of this account publish, and only over TLS. */
export function alertTopicPolicy(topicArn: GraphValue): PolicyDocument {
  return policyDocument([
    {
      Sid: POLICY_SIDS.alarmsPublish,
      Effect: 'Allow',
      Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
      Action: 'sns:Publish',
      Resource: topicArn,
      // Without it, alarms of any account could publish to the topic (confused deputy).
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT_ID } },
    },
    denyInsecureTransport('sns:Publish', topicArn),
  ]);
}

/**
 * The policy of the KMS key an environment creates. In a key policy `"Resource": "*"` means this
 * key; AWS requires it.
 */
export function environmentKeyPolicy(): PolicyDocument {
  return policyDocument([
    // The account's IAM policies decide who uses the key (the send/consume policies grant it).
    { Sid: POLICY_SIDS.accountGovernsKey, Effect: 'Allow', Principal: { AWS: ACCOUNT_ROOT_ARN }, Action: 'kms:*', Resource: '*' },
    // Alarms publish to the alert topic, which this key encrypts.
    {
      Sid: POLICY_SIDS.alarmsUseKey,
      Effect: 'Allow',
      Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
      Action: [...ALARMS_KEY_ACTIONS],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT_ID } },
    },
    // CloudWatch Logs encrypts the functions' log groups with it, only for this account's log
    // groups in this region (the encryption context names the log group).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    {
      Sid: POLICY_SIDS.logsUseKey,
      Effect: 'Allow',
      Principal: { Service: LOGS_SERVICE_PRINCIPAL },
      Action: [...LOGS_KEY_ACTIONS],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': ACCOUNT_LOG_GROUPS_ARN } },
    },
    // A grant is a standing permission outside the key policy; only AWS services acting for a
    // resource may create one (Control Tower CT.KMS.PR.3).
    {
      Sid: POLICY_SIDS.denyGrantsExceptForAwsServices,
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    },
  ]);
}

/**
 * The inline policy of a function's role: write to its own log group's streams, read and write its
 * records in the environment's idempotency table and, when tracing is on, write to X-Ray.
 */
export function functionBasePolicy(logStreamsArn: GraphValue, tracing: boolean, idempotencyTableArn?: GraphValue): PolicyDocument {
  return policyDocument([
    { Sid: POLICY_SIDS.writeOwnLogs, Effect: 'Allow', Action: [...LOG_WRITE_ACTIONS], Resource: logStreamsArn },
    ...(idempotencyTableArn !== undefined
      ? [{ Sid: POLICY_SIDS.useIdempotencyTable, Effect: 'Allow' as const, Action: [...IDEMPOTENCY_TABLE_ACTIONS], Resource: idempotencyTableArn }]
      : []),
    // X-Ray supports no resource-level permissions: `*` is the only resource it accepts.
    ...(tracing ? [{ Sid: POLICY_SIDS.writeTraces, Effect: 'Allow' as const, Action: [...XRAY_ACTIONS], Resource: '*' }] : []),
  ]);
}

/** The trust policy of a function's role: only Lambda assumes it. */
export function lambdaTrustPolicy(): PolicyDocument {
  return policyDocument([
    { Sid: POLICY_SIDS.assumedByLambda, Effect: 'Allow', Principal: { Service: LAMBDA_SERVICE_PRINCIPAL }, Action: 'sts:AssumeRole' },
  ]);
}
