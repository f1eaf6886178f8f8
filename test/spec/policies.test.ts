/**
 * The shared policy, naming and wording model (constructs/spec/policies.ts, arns.ts, naming.ts,
 * descriptions.ts): the same builders serve references of any type, optional statements follow the
 * renderer's inclusion rule, and the spec decides which log groups the environment key encrypts.
 */
import {
  ACCOUNT_LOG_GROUPS_ARN,
  ACCOUNT_ROOT_ARN,
  environmentKeyPolicy,
  fillAccountTemplate,
  functionBasePolicy,
  functionUrlOutputName,
  LOGS_SERVICE_PRINCIPAL,
  POLICY_SIDS,
  queueConsumePolicy,
  queueSendPolicy,
  resolveEnvironments,
  roleName,
  type EnvironmentProfiles,
} from '../../constructs/spec';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';

/** A reference type unlike a string, as the CloudFormation renderer uses. */
type Ref = { readonly Ref: string };
const ref = (id: string): Ref => ({ Ref: id });
const sids = (document: { Statement: readonly unknown[] }) => document.Statement.map((statement) => (statement as { Sid?: string }).Sid);

describe('account templates', () => {
  const values = { partition: 'aws-cn', region: 'cn-north-1', accountId: '{account}' };

  it('fill partition, region and account', () => {
    expect(fillAccountTemplate(ACCOUNT_ROOT_ARN, values)).toBe('arn:aws-cn:iam::{account}:root');
    expect(fillAccountTemplate(LOGS_SERVICE_PRINCIPAL, values)).toBe('logs.cn-north-1.amazonaws.com');
    expect(fillAccountTemplate(ACCOUNT_LOG_GROUPS_ARN, values)).toBe('arn:aws-cn:logs:cn-north-1:{account}:log-group:*');
  });

  it('reject a placeholder they do not know', () => {
    expect(() => fillAccountTemplate('arn:${AWS::URLSuffix}', values)).toThrow(/unknown placeholder \$\{AWS::URLSuffix\}/);
  });
});

describe('statement builders', () => {
  it('take references of any type', () => {
    const send = queueSendPolicy(ref('OrderQueue'), { arn: ref('Key') });
    expect(send.Statement).toEqual([
      { Sid: POLICY_SIDS.sendToQueue, Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: ref('OrderQueue') },
      { Sid: POLICY_SIDS.encryptWithQueueKey, Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: ref('Key') },
    ]);
  });

  it('include an optional statement, leave it out, or hand it to the renderer to wrap', () => {
    expect(sids(queueConsumePolicy('queue-arn'))).toEqual([POLICY_SIDS.consumeFromQueue]);
    expect(sids(queueConsumePolicy('queue-arn', { arn: 'key-arn', included: false }))).toEqual([POLICY_SIDS.consumeFromQueue]);
    const wrapped = queueConsumePolicy('queue-arn', { arn: 'key-arn', included: (statement) => ({ 'Fn::If': ['UseKms', statement] }) });
    expect(wrapped.Statement[1]).toEqual({ 'Fn::If': ['UseKms', { Sid: POLICY_SIDS.decryptWithQueueKey, Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'key-arn' }] });
    expect(sids(functionBasePolicy('group-arn:*', true))).toEqual([POLICY_SIDS.writeOwnLogs, POLICY_SIDS.writeTraces]);
    expect(sids(functionBasePolicy('group-arn:*', false))).toEqual([POLICY_SIDS.writeOwnLogs]);
  });

  it('build a key policy that lets only AWS services create grants, in the form Control Tower checks', () => {
    const policy = environmentKeyPolicy({ accountRootArn: 'root', accountId: 'account', logsServicePrincipal: 'logs', logGroupsArn: 'groups' });
    expect(sids(policy)).toEqual([POLICY_SIDS.accountGovernsKey, POLICY_SIDS.alarmsUseKey, POLICY_SIDS.logsUseKey, POLICY_SIDS.denyGrantsExceptForAwsServices]);
    expect(policy.Statement[3]).toEqual({
      Sid: POLICY_SIDS.denyGrantsExceptForAwsServices,
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
    expect(policy.Statement[2]).toMatchObject({ Principal: { Service: 'logs' }, Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'groups' } } });
  });
});

describe('names', () => {
  it('derive the role and the function URL output from the function', () => {
    expect(roleName('production-order-service')).toBe('production-order-service-role');
    expect(functionUrlOutputName('order-service')).toBe('order_service_function_url');
  });
});

describe('log group encryption', () => {
  const logEncryption = (profiles: EnvironmentProfiles) =>
    Object.fromEntries(resolveEnvironments(topology, profiles).map((spec) => [spec.environment, [...new Set(spec.functions.map((fn) => fn.logEncryption))]]));

  it('uses the environment key where the environment creates one', () => {
    expect(logEncryption(environments)).toEqual({
      development: ['cloudwatch-logs'],
      staging: ['cloudwatch-logs'],
      production: ['environment-key'],
    });
  });

  it('keeps CloudWatch Logs encryption with an existing key, whose policy is not ours to extend', () => {
    const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(logEncryption({ ...environments, production: { ...environments.production, encryption: { type: 'kms', keyArn } } }).production).toEqual(['cloudwatch-logs']);
  });
});
