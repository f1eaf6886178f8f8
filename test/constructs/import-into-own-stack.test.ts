/**
 * Another team's view: import the constructs from the package entry point into a stack of their
 * own (no topology, no environments file), synthesize a FIFO pair and grant their role access.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { QueueAlarms, QueuePair, resolveQueueSpec, SpecValidationError } from '../../constructs';
import { referenceTo, resourcesOf, resourceWhere, type TerraformJson } from '../support/synth';

class PaymentsStack extends TerraformStack {
  readonly pair: QueuePair;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const role = new IamRole(this, 'payments-worker', {
      name: 'payments-worker',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    this.pair = new QueuePair(this, 'payments', {
      environment: 'staging',
      queue: { name: 'payments', fifo: true, highThroughputFifo: true, contentBasedDeduplication: true, visibilityTimeoutSeconds: 120 },
      options: { tags: { Team: 'payments' } },
    });
    this.pair.grantConsume(role);
    this.pair.grantSend({ name: 'checkout-api' });
    new QueueAlarms(this, 'payments-alarms', { queue: this.pair.spec, alertTopicArn: 'arn:aws:sns:eu-west-1:123456789012:payments-oncall' });
  }
}

describe('constructs imported into a fresh stack', () => {
  const app = Testing.app();
  const stack = new PaymentsStack(app, 'payments');
  const synthesized = Testing.synth(stack);
  const json = JSON.parse(synthesized) as TerraformJson;

  it('synthesizes a FIFO pair with .fifo names on both queues and high-throughput settings', () => {
    expect(synthesized).toHaveResourceWithProperties(SqsQueue, {
      name: 'staging-payments-queue.fifo',
      fifo_queue: true,
      content_based_deduplication: true,
      deduplication_scope: 'messageGroup',
      fifo_throughput_limit: 'perMessageGroupId',
      visibility_timeout_seconds: 120,
      sqs_managed_sse_enabled: true,
    });
    expect(synthesized).toHaveResourceWithProperties(SqsQueue, { name: 'staging-payments-dlq.fifo', fifo_queue: true });
  });

  it('applies the defaults with their documented values', () => {
    const queue = resourceWhere(json, 'aws_sqs_queue', 'name', 'staging-payments-queue.fifo');
    expect(queue).toMatchObject({ message_retention_seconds: 345_600, receive_wait_time_seconds: 20, max_message_size: 1_048_576 });
    expect(JSON.parse(queue.redrive_policy as string).maxReceiveCount).toBe(5);
    expect(queue.tags).toMatchObject({ Team: 'payments', Environment: 'staging' });
  });

  it('attaches the consume and send policies to the team roles', () => {
    expect(synthesized).toHaveResource(IamRolePolicyAttachment);
    const attachments = resourcesOf(json, 'aws_iam_role_policy_attachment');
    const consumeArn = referenceTo(json, 'aws_iam_policy', 'staging-payments-queue-consume', 'arn');
    const sendArn = referenceTo(json, 'aws_iam_policy', 'staging-payments-queue-send', 'arn');
    expect(attachments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: referenceTo(json, 'aws_iam_role', 'payments-worker', 'name'), policy_arn: consumeArn }),
        expect.objectContaining({ role: 'checkout-api', policy_arn: sendArn }),
      ]),
    );
  });

  it('points the alarms at a bring-your-own SNS topic', () => {
    const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual(['arn:aws:sns:eu-west-1:123456789012:payments-oncall']);
  });

  it('rejects an invalid definition before anything is added to the stack', () => {
    const other = new TerraformStack(Testing.app(), 'other');
    expect(
      () => new QueuePair(other, 'bad', { environment: 'staging', queue: { name: 'bad', fifo: false, contentBasedDeduplication: true } }),
    ).toThrow(SpecValidationError);
    expect(JSON.parse(Testing.synth(other)).resource).toBeUndefined();
  });

  it('resolves a spec once and reuses it', () => {
    const spec = resolveQueueSpec('production', { name: 'audit', messageRetentionSeconds: 600, deadLetterRetentionSeconds: 1200 });
    const scratch = new TerraformStack(Testing.app(), 'scratch');
    const pair = new QueuePair(scratch, 'audit', { queue: spec });
    expect(pair.spec).toBe(spec);
    expect(Testing.synth(scratch)).toHaveResourceWithProperties(SqsQueue, { name: 'production-audit-dlq', message_retention_seconds: 1200 });
  });
});
