/**
 * Every policy the renderers write — queue, topic and key policies, the send/consume managed
 * policies, the Lambda roles' trust and base policies — built once, so the cdktf constructs and the
 * CloudFormation template cannot drift apart (DESIGN §2, §4).
 *
 * The builders are generic over `R`, the type of a reference to a deployed resource: Terraform token
 * strings in the cdktf constructs (`${aws_sqs_queue.order.arn}`), intrinsic objects in the
 * CloudFormation renderer (`{ 'Fn::GetAtt': ['OrderQueue', 'Arn'] }`). Actions come from
 * `access.ts`; account-dependent ARNs and principals from `arns.ts`.
 */
import {
  ALARMS_KEY_ACTIONS,
  CONSUME_ACTIONS,
  KMS_CONSUME_ACTIONS,
  KMS_SEND_ACTIONS,
  LOG_WRITE_ACTIONS,
  LOGS_KEY_ACTIONS,
  SEND_ACTIONS,
  XRAY_ACTIONS,
} from './access';

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
} as const;

/** The TLS-only statement every queue policy and the alert topic policy carry. */
export const DENY_INSECURE_TRANSPORT_SID = POLICY_SIDS.denyInsecureTransport;

const CLOUDWATCH_SERVICE_PRINCIPAL = 'cloudwatch.amazonaws.com';
const LAMBDA_SERVICE_PRINCIPAL = 'lambda.amazonaws.com';

/** One policy statement; `R` is how the renderer refers to resources and account values. */
export interface PolicyStatement<R> {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | { readonly AWS?: R; readonly Service?: string | R };
  readonly Action: string | readonly string[];
  /** Absent only in trust policies. In a key policy `*` means the key itself. */
  readonly Resource?: R | '*';
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | R>>>>;
}

/** A policy document. `S` is what its Statement list holds (see {@link Inclusion}). */
export interface PolicyDocument<S> {
  readonly Version: typeof POLICY_VERSION;
  readonly Statement: readonly S[];
}

/**
 * Whether a statement that applies only in some deployments is in a document. The cdktf constructs
 * know at synth time and pass `true` or `false`; the CloudFormation renderer, whose one template
 * serves every environment, passes a function that wraps the statement (in `Fn::If` on a Condition)
 * and returns what goes into the Statement list instead.
 */
export type Inclusion<S, W> = boolean | ((statement: S) => W);

/** A queue's customer-managed KMS key, as an access policy grants it. */
export interface QueueKey<R, W> {
  readonly arn: R;
  /** @default true */
  readonly included?: Inclusion<PolicyStatement<R>, W>;
}

export function policyDocument<S>(statements: readonly S[]): PolicyDocument<S> {
  return { Version: POLICY_VERSION, Statement: statements };
}

function optional<S, W>(inclusion: Inclusion<S, W> | undefined, statement: () => S): (S | W)[] {
  if (inclusion === false) return [];
  if (inclusion === undefined || inclusion === true) return [statement()];
  return [inclusion(statement())];
}

/** Denies `action` on `resource` to everyone over plain HTTP (`aws:SecureTransport` false). */
export function denyInsecureTransport<R>(action: string, resource: R): PolicyStatement<R> {
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
export function tlsOnlyQueuePolicy<R>(queueArn: R): PolicyDocument<PolicyStatement<R>> {
  return policyDocument([denyInsecureTransport('sqs:*', queueArn)]);
}

/** A queue's `send` managed policy: send rights on the queue, plus what its KMS key needs. */
export function queueSendPolicy<R, W = never>(queueArn: R, key?: QueueKey<R, W>): PolicyDocument<PolicyStatement<R> | W> {
  return policyDocument<PolicyStatement<R> | W>([
    { Sid: POLICY_SIDS.sendToQueue, Effect: 'Allow', Action: [...SEND_ACTIONS], Resource: queueArn },
    ...(key ? optional(key.included, () => keyStatement(POLICY_SIDS.encryptWithQueueKey, KMS_SEND_ACTIONS, key.arn)) : []),
  ]);
}

/** A queue's `consume` managed policy: receive/delete/extend on the queue, plus kms:Decrypt on its key. */
export function queueConsumePolicy<R, W = never>(queueArn: R, key?: QueueKey<R, W>): PolicyDocument<PolicyStatement<R> | W> {
  return policyDocument<PolicyStatement<R> | W>([
    { Sid: POLICY_SIDS.consumeFromQueue, Effect: 'Allow', Action: [...CONSUME_ACTIONS], Resource: queueArn },
    ...(key ? optional(key.included, () => keyStatement(POLICY_SIDS.decryptWithQueueKey, KMS_CONSUME_ACTIONS, key.arn)) : []),
  ]);
}

function keyStatement<R>(sid: string, actions: readonly string[], keyArn: R): PolicyStatement<R> {
  return { Sid: sid, Effect: 'Allow', Action: [...actions], Resource: keyArn };
}

/** The alert topic's policy: only CloudWatch alarms of this account publish, and only over TLS. */
export function alertTopicPolicy<R>(topicArn: R, accountId: R): PolicyDocument<PolicyStatement<R>> {
  return policyDocument([
    {
      Sid: POLICY_SIDS.alarmsPublish,
      Effect: 'Allow',
      Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
      Action: 'sns:Publish',
      Resource: topicArn,
      // Without it, alarms of any account could publish to the topic (confused deputy).
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
    denyInsecureTransport('sns:Publish', topicArn),
  ]);
}

/** What an environment key's policy refers to, each filled from the templates in `arns.ts`. */
export interface EnvironmentKeyPolicyReferences<R> {
  /** `ACCOUNT_ROOT_ARN`, filled in. */
  readonly accountRootArn: R;
  readonly accountId: R;
  /** `LOGS_SERVICE_PRINCIPAL`, filled in. */
  readonly logsServicePrincipal: R;
  /** `ACCOUNT_LOG_GROUPS_ARN`, filled in. */
  readonly logGroupsArn: R;
}

/**
 * The policy of the KMS key an environment creates. In a key policy `"Resource": "*"` means this
 * key; AWS requires it.
 */
export function environmentKeyPolicy<R>(refs: EnvironmentKeyPolicyReferences<R>): PolicyDocument<PolicyStatement<R>> {
  return policyDocument<PolicyStatement<R>>([
    // The account's IAM policies decide who uses the key (the send/consume policies grant it).
    { Sid: POLICY_SIDS.accountGovernsKey, Effect: 'Allow', Principal: { AWS: refs.accountRootArn }, Action: 'kms:*', Resource: '*' },
    // Alarms publish to the alert topic, which this key encrypts.
    {
      Sid: POLICY_SIDS.alarmsUseKey,
      Effect: 'Allow',
      Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
      Action: [...ALARMS_KEY_ACTIONS],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': refs.accountId } },
    },
    // CloudWatch Logs encrypts the functions' log groups with it, only for this account's log
    // groups in this region (the encryption context names the log group).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    {
      Sid: POLICY_SIDS.logsUseKey,
      Effect: 'Allow',
      Principal: { Service: refs.logsServicePrincipal },
      Action: [...LOGS_KEY_ACTIONS],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': refs.logGroupsArn } },
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
 * The inline policy of a function's role: write to its own log group and, when tracing is on, to
 * X-Ray. `logStreamsArn` is the log group ARN followed by `:*`, which covers the group's streams.
 */
export function functionBasePolicy<R, W = never>(logStreamsArn: R, tracing: Inclusion<PolicyStatement<R>, W>): PolicyDocument<PolicyStatement<R> | W> {
  return policyDocument<PolicyStatement<R> | W>([
    { Sid: POLICY_SIDS.writeOwnLogs, Effect: 'Allow', Action: [...LOG_WRITE_ACTIONS], Resource: logStreamsArn },
    // X-Ray supports no resource-level permissions: `*` is the only resource it accepts.
    ...optional(tracing, (): PolicyStatement<R> => ({ Sid: POLICY_SIDS.writeTraces, Effect: 'Allow', Action: [...XRAY_ACTIONS], Resource: '*' })),
  ]);
}

/** The trust policy of a function's role: only Lambda assumes it. */
export function lambdaTrustPolicy(): PolicyDocument<PolicyStatement<never>> {
  return policyDocument<PolicyStatement<never>>([{ Effect: 'Allow', Principal: { Service: LAMBDA_SERVICE_PRINCIPAL }, Action: 'sts:AssumeRole' }]);
}
