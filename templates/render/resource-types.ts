/**
 * The CloudFormation renderer's table: for each node type of the graph, the resource type it
 * becomes, how its tags are written, and the intrinsic a reference to each attribute becomes. The
 * graph's properties already use CloudFormation's names, so they are written as they are.
 */
import type { NodeType, RefAttribute } from '../../model';
import { getAtt, ref, type CfnValue } from './cfn';

export interface CfnResourceType {
  readonly type: string;
  /** Tags as `[{ Key, Value }]` (`list`), as `{ key: value }` (`map`: AWS::SSM::Parameter), or none. */
  readonly tags: 'list' | 'map' | 'none';
  /** Properties CloudFormation takes as JSON text, not as an object. */
  readonly jsonText?: readonly string[];
  readonly attributes: Partial<Record<RefAttribute, (logicalId: string) => CfnValue>>;
}

const arnByGetAtt = (id: string) => getAtt(id, 'Arn');

export const CFN_RESOURCE_TYPES: { readonly [T in NodeType]: CfnResourceType } = {
  'sqs:queue': { type: 'AWS::SQS::Queue', tags: 'list', attributes: { arn: arnByGetAtt, url: ref, name: (id) => getAtt(id, 'QueueName') } },
  'sqs:queue-policy': { type: 'AWS::SQS::QueuePolicy', tags: 'none', attributes: {} },
  // AWS::IAM::ManagedPolicy takes no tags.
  'iam:managed-policy': { type: 'AWS::IAM::ManagedPolicy', tags: 'none', attributes: { arn: ref } },
  'iam:role': { type: 'AWS::IAM::Role', tags: 'list', attributes: { arn: arnByGetAtt, name: ref } },
  'logs:log-group': { type: 'AWS::Logs::LogGroup', tags: 'list', attributes: { name: ref } },
  'lambda:function': { type: 'AWS::Lambda::Function', tags: 'list', attributes: { arn: arnByGetAtt, name: ref } },
  'lambda:url': { type: 'AWS::Lambda::Url', tags: 'none', attributes: { functionUrl: (id) => getAtt(id, 'FunctionUrl') } },
  'lambda:event-source-mapping': { type: 'AWS::Lambda::EventSourceMapping', tags: 'none', attributes: {} },
  'cloudwatch:alarm': { type: 'AWS::CloudWatch::Alarm', tags: 'list', attributes: { arn: arnByGetAtt, name: ref } },
  'sns:topic': { type: 'AWS::SNS::Topic', tags: 'list', attributes: { arn: ref, name: (id) => getAtt(id, 'TopicName') } },
  'sns:topic-policy': { type: 'AWS::SNS::TopicPolicy', tags: 'none', attributes: {} },
  'kms:key': { type: 'AWS::KMS::Key', tags: 'list', attributes: { arn: arnByGetAtt, id: ref } },
  'kms:alias': { type: 'AWS::KMS::Alias', tags: 'none', attributes: { name: ref } },
  'dynamodb:table': { type: 'AWS::DynamoDB::Table', tags: 'list', attributes: { arn: arnByGetAtt, name: ref } },
  'cloudwatch:dashboard': { type: 'AWS::CloudWatch::Dashboard', tags: 'none', jsonText: ['DashboardBody'], attributes: { name: ref } },
  // Ref is the parameter's name; it has no Arn attribute (policies build parameter ARNs from names).
  'ssm:parameter': { type: 'AWS::SSM::Parameter', tags: 'map', attributes: { name: ref } },
};

/** Tags in CloudFormation's form: a list sorted by key. */
export function cfnTags(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((key) => ({ Key: key, Value: tags[key]! }));
}
