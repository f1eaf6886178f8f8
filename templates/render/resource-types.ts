/**
 * The CloudFormation renderer's table: for each node type of the graph, the resource type it
 * becomes, how its tags are written, and the intrinsic a reference to each attribute becomes. The
 * graph's properties already use CloudFormation's names, so they are written as they are.
 */
import type { NodeType, RefAttribute } from '../../model';
import { getAtt, ref, type CfnValue } from './cfn';

export interface CfnResourceType {
  readonly type: string;
  /** Tags as `[{ Key, Value }]` (every tagged type here), or none. */
  readonly tagged: boolean;
  readonly attributes: Partial<Record<RefAttribute, (logicalId: string) => CfnValue>>;
}

const arnByGetAtt = (id: string) => getAtt(id, 'Arn');

export const CFN_RESOURCE_TYPES: { readonly [T in NodeType]: CfnResourceType } = {
  'sqs:queue': { type: 'AWS::SQS::Queue', tagged: true, attributes: { arn: arnByGetAtt, url: ref, name: (id) => getAtt(id, 'QueueName') } },
  'sqs:queue-policy': { type: 'AWS::SQS::QueuePolicy', tagged: false, attributes: {} },
  // AWS::IAM::ManagedPolicy takes no tags.
  'iam:managed-policy': { type: 'AWS::IAM::ManagedPolicy', tagged: false, attributes: { arn: ref } },
  'iam:role': { type: 'AWS::IAM::Role', tagged: true, attributes: { arn: arnByGetAtt, name: ref } },
  'logs:log-group': { type: 'AWS::Logs::LogGroup', tagged: true, attributes: { name: ref } },
  'lambda:function': { type: 'AWS::Lambda::Function', tagged: true, attributes: { arn: arnByGetAtt, name: ref } },
  'lambda:url': { type: 'AWS::Lambda::Url', tagged: false, attributes: { functionUrl: (id) => getAtt(id, 'FunctionUrl') } },
  'lambda:event-source-mapping': { type: 'AWS::Lambda::EventSourceMapping', tagged: false, attributes: {} },
  'cloudwatch:alarm': { type: 'AWS::CloudWatch::Alarm', tagged: true, attributes: { arn: arnByGetAtt, name: ref } },
  'sns:topic': { type: 'AWS::SNS::Topic', tagged: true, attributes: { arn: ref, name: (id) => getAtt(id, 'TopicName') } },
  'sns:topic-policy': { type: 'AWS::SNS::TopicPolicy', tagged: false, attributes: {} },
  'kms:key': { type: 'AWS::KMS::Key', tagged: true, attributes: { arn: arnByGetAtt, id: ref } },
  'kms:alias': { type: 'AWS::KMS::Alias', tagged: false, attributes: { name: ref } },
  'dynamodb:table': { type: 'AWS::DynamoDB::Table', tagged: true, attributes: { arn: arnByGetAtt, name: ref } },
};

/** Tags in CloudFormation's form: a list sorted by key. */
export function cfnTags(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((key) => ({ Key: key, Value: tags[key]! }));
}
