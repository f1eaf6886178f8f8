/**
 * The policy, naming and value pieces of the model (model/graph/policies.ts, arns.ts, values.ts,
 * naming.ts): graph values carry references and account strings, optional statements exist only
 * where they apply, and the model decides which log groups the environment key encrypts.
 */
import {
  accountString,
  buildGraph,
  fillAccountString,
  functionUrlOutputName,
  POLICY_SIDS,
  queueConsumePolicy,
  queueSendPolicy,
  ref,
  referencedNodes,
  resolveEnvironments,
  roleName,
  type EnvironmentProfiles,
  type KeyNode,
} from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';

const sids = (document: { Statement: readonly unknown[] }) => document.Statement.map((statement) => (statement as { Sid?: string }).Sid);

describe('account strings', () => {
  const values = { partition: 'aws-cn', region: 'cn-north-1', accountId: '{account}' };

  it('fill partition, region and account', () => {
    expect(fillAccountString(accountString('arn:${AWS::Partition}:iam::${AWS::AccountId}:root'), values)).toBe('arn:aws-cn:iam::{account}:root');
    expect(fillAccountString(accountString('logs.${AWS::Region}.amazonaws.com'), values)).toBe('logs.cn-north-1.amazonaws.com');
  });

  it('reject a placeholder they do not know', () => {
    expect(() => fillAccountString(accountString('arn:${AWS::URLSuffix}'), values)).toThrow(/unknown placeholder \$\{AWS::URLSuffix\}/);
  });
});

describe('statement builders', () => {
  it('hold references to the graph\'s nodes', () => {
    const send = queueSendPolicy(ref('OrderQueue', 'arn'), ref('EncryptionKey', 'arn'));
    expect(send.Statement).toEqual([
      { Sid: POLICY_SIDS.sendToQueue, Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: ref('OrderQueue', 'arn') },
      { Sid: POLICY_SIDS.encryptWithQueueKey, Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: ref('EncryptionKey', 'arn') },
    ]);
    expect(referencedNodes(send as never)).toEqual(['OrderQueue', 'EncryptionKey']);
  });

  it('add the key statement only with a key', () => {
    expect(sids(queueConsumePolicy('queue-arn'))).toEqual([POLICY_SIDS.consumeFromQueue]);
    expect(sids(queueConsumePolicy('queue-arn', 'key-arn'))).toEqual([POLICY_SIDS.consumeFromQueue, POLICY_SIDS.decryptWithQueueKey]);
  });

  it('build a key policy that lets only AWS services create grants, in the form Control Tower checks', () => {
    const key = buildGraph(topology, environments, 'production').nodes.find((node) => node.id === 'EncryptionKey') as KeyNode;
    const policy = key.properties.KeyPolicy;
    expect(sids(policy)).toEqual([POLICY_SIDS.accountGovernsKey, POLICY_SIDS.alarmsUseKey, POLICY_SIDS.logsUseKey, POLICY_SIDS.denyGrantsExceptForAwsServices]);
    expect(policy.Statement[3]).toEqual({
      Sid: POLICY_SIDS.denyGrantsExceptForAwsServices,
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
    expect(policy.Statement[2]).toMatchObject({
      Principal: { Service: accountString('logs.${AWS::Region}.amazonaws.com') },
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': accountString('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*') } },
    });
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
