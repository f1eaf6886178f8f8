/**
 * Another team's view: the constructs imported from the package entry point into a stack of their
 * own (no topology, no profiles file), each used on its own from a plain definition: a FIFO pair,
 * its alarms, a consumer of their own handler file, grants to their roles, an existing queue and an
 * existing function. Misuse from plain JavaScript ends in one clear error, never a TypeError.
 */
import path from 'node:path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { addAwsProvider, BundledFunction, FunctionAlarms, QueueAlarms, QueueConsumer, QueuePair, SpecValidationError } from '../../constructs';
import { referenceTo, resourcesOf, resourceWhere, type TerraformJson } from '../support/synth';

const WORKER = path.join(__dirname, 'fixtures', 'payments-worker', 'handler.ts');
const ONCALL = 'arn:aws:sns:eu-west-1:123456789012:payments-oncall';

function synth(build: (stack: TerraformStack) => void): { text: string; json: TerraformJson } {
  const stack = new TerraformStack(Testing.app(), 'payments');
  addAwsProvider(stack, 'eu-west-1');
  build(stack);
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) as TerraformJson };
}

function paymentsStack(stack: Construct, grantOrder: 'consume-first' | 'send-first' = 'consume-first'): void {
  const role = new IamRole(stack, 'payments-api', { name: 'payments-api', assumeRolePolicy: '{}' });
  const pair = new QueuePair(stack, 'payments', {
    environment: { name: 'staging', scope: 'payments', tags: { Team: 'payments' } },
    queue: { name: 'charges', fifo: true, highThroughputFifo: true, contentBasedDeduplication: true, visibilityTimeoutSeconds: 120 },
  });
  if (grantOrder === 'consume-first') {
    pair.grantConsume(role);
    pair.grantSend({ name: 'checkout-api' });
  } else {
    pair.grantSend({ name: 'checkout-api' });
    pair.grantConsume(role);
  }
  new QueueAlarms(stack, 'payments-alarms', { queuePair: pair, alertTopicArn: ONCALL });
  new QueueConsumer(stack, 'payments-worker', { queue: pair, function: { name: 'charges-worker', entry: WORKER, timeoutSeconds: 20 }, batchSize: 5 });
}

describe('a FIFO pair, its alarms and a consumer of the team\'s own handler, each on its own', () => {
  const { text, json } = synth((stack) => paymentsStack(stack));

  it('names both FIFO queues with the scope, the environment and .fifo, with the high-throughput settings', () => {
    expect(text).toHaveResourceWithProperties(SqsQueue, {
      name: 'payments-staging-charges-queue.fifo',
      fifo_queue: true,
      content_based_deduplication: true,
      deduplication_scope: 'messageGroup',
      fifo_throughput_limit: 'perMessageGroupId',
      visibility_timeout_seconds: 120,
      sqs_managed_sse_enabled: true,
    });
    expect(resourceWhere(json, 'aws_sqs_queue', 'name', 'payments-staging-charges-dlq.fifo').tags).toMatchObject({ Team: 'payments', Environment: 'staging' });
  });

  it('takes the pair itself for its alarms, which notify the team\'s own topic', () => {
    const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((alarm) => alarm.alarm_name).sort()).toEqual([
      'payments-staging-charges-dlq-not-empty',
      'payments-staging-charges-queue-depth',
      'payments-staging-charges-queue-oldest-message-age',
    ]);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([ONCALL]);
  });

  it('bundles the team\'s handler file, wires it to the queue with partial batch responses and grants it the consume policy only', () => {
    const fn = resourceWhere(json, 'aws_lambda_function', 'function_name', 'payments-staging-charges-worker');
    expect(fn).toMatchObject({ runtime: 'nodejs24.x', handler: 'index.handler', timeout: 20 });
    const [mapping] = resourcesOf(json, 'aws_lambda_event_source_mapping');
    expect(mapping).toMatchObject({
      event_source_arn: referenceTo(json, 'aws_sqs_queue', 'payments-staging-charges-queue.fifo', 'arn'),
      batch_size: 5,
      function_response_types: ['ReportBatchItemFailures'],
    });
    const consume = referenceTo(json, 'aws_iam_policy', 'payments-staging-charges-queue-consume', 'arn');
    const roleName = referenceTo(json, 'aws_iam_role', 'payments-staging-charges-worker-role', 'name');
    const workerAttachments = resourcesOf(json, 'aws_iam_role_policy_attachment').filter((attachment) => attachment.role === roleName);
    expect(workerAttachments).toEqual([expect.objectContaining({ policy_arn: consume })]);
    // The mapping waits for the grant: AWS checks the role can read the queue when it is created.
    expect((mapping!.depends_on as string[]).some((address) => address.startsWith('aws_iam_role_policy_attachment.'))).toBe(true);
  });

  it('attaches the send and consume policies to the team\'s other roles', () => {
    const attachments = resourcesOf(json, 'aws_iam_role_policy_attachment');
    expect(attachments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: referenceTo(json, 'aws_iam_role', 'payments-api', 'name'), policy_arn: referenceTo(json, 'aws_iam_policy', 'payments-staging-charges-queue-consume', 'arn') }),
        expect.objectContaining({ role: 'checkout-api', policy_arn: referenceTo(json, 'aws_iam_policy', 'payments-staging-charges-queue-send', 'arn') }),
      ]),
    );
  });

  it('gives grants ids that do not depend on call order: reordering grants replaces nothing', () => {
    const reordered = synth((stack) => paymentsStack(stack, 'send-first')).json;
    expect(Object.keys(reordered.resource.aws_iam_role_policy_attachment!).sort()).toEqual(Object.keys(json.resource.aws_iam_role_policy_attachment!).sort());
  });
});

describe('bringing your own queue or function', () => {
  it('consumes an existing queue by ARN with an inline consume statement, and warns that the visibility rule could not be checked', () => {
    let consumer: QueueConsumer | undefined;
    const { json } = synth((stack) => {
      consumer = new QueueConsumer(stack, 'legacy', {
        queue: { queueArn: 'arn:aws:sqs:eu-west-1:123456789012:legacy-orders' },
        function: { name: 'legacy-reader', entry: WORKER },
        environment: 'staging',
      });
    });
    const [inline] = resourcesOf(json, 'aws_iam_role_policy').filter((policy) => policy.name === 'consume-queue');
    expect(JSON.parse(inline!.policy as string).Statement[0]).toMatchObject({ Resource: 'arn:aws:sqs:eu-west-1:123456789012:legacy-orders' });
    expect(resourcesOf(json, 'aws_lambda_event_source_mapping')[0]).toMatchObject({ event_source_arn: 'arn:aws:sqs:eu-west-1:123456789012:legacy-orders' });
    expect(consumer!.warnings).toEqual([expect.stringContaining('visibility timeout is not known')]);
  });

  it('checks an existing queue\'s visibility against the function timeout when it is given', () => {
    const stack = new TerraformStack(Testing.app(), 'other');
    expect(
      () =>
        new QueueConsumer(stack, 'slow', {
          queue: { queueArn: 'arn:aws:sqs:eu-west-1:123456789012:legacy-orders', visibilityTimeoutSeconds: 30 },
          function: { name: 'slow-reader', entry: WORKER, timeoutSeconds: 30 },
          environment: 'staging',
        }),
    ).toThrow(/visibilityTimeoutSeconds must be at least 6 × the consumer's timeout \(6 × 30 s = 180 s\), but 30 was provided/);
  });

  it('wires an existing function to a QueuePair and grants its role', () => {
    const { json } = synth((stack) => {
      const pair = new QueuePair(stack, 'audit', { environment: 'production', queue: { name: 'audit', visibilityTimeoutSeconds: 300 } });
      new QueueConsumer(stack, 'auditor', { queue: pair, function: { functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:auditor', timeoutSeconds: 30, roleName: 'auditor-role' } });
    });
    expect(resourcesOf(json, 'aws_lambda_function')).toEqual([]);
    expect(resourcesOf(json, 'aws_lambda_event_source_mapping')[0]).toMatchObject({ function_name: 'arn:aws:lambda:eu-west-1:123456789012:function:auditor' });
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toEqual([expect.objectContaining({ role: 'auditor-role' })]);
  });

  it('grants a BundledFunction send rights once however often it is asked', () => {
    const { json } = synth((stack) => {
      const pair = new QueuePair(stack, 'audit', { environment: 'production', queue: { name: 'audit' } });
      const fn = new BundledFunction(stack, 'writer', { environment: 'production', function: { name: 'audit-writer', entry: WORKER } });
      pair.grantSend(fn);
      pair.grantSend(fn);
    });
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toHaveLength(1);
  });

  it('gives a BundledFunction its error-rate (metric math) and throttle alarms, tuned by its own settings', () => {
    const { json } = synth((stack) => {
      const fn = new BundledFunction(stack, 'writer', {
        environment: 'production',
        function: { name: 'audit-writer', entry: WORKER, alarms: { errorRate: { threshold: 2 } } },
      });
      new FunctionAlarms(stack, 'writer-alarms', { function: fn, alertTopicArn: ONCALL, okActions: true });
    });
    const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((alarm) => alarm.alarm_name).sort()).toEqual(['production-audit-writer-error-rate', 'production-audit-writer-throttles']);
    const errorRate = alarms.find((alarm) => alarm.alarm_name === 'production-audit-writer-error-rate')!;
    expect(errorRate).toMatchObject({ threshold: 2, alarm_actions: [ONCALL], ok_actions: [ONCALL] });
    expect((errorRate.metric_query as { id: string; expression?: string }[]).map((query) => query.expression ?? query.id)).toEqual([
      'errors',
      'invocations',
      'IF(invocations > 0, 100 * errors / invocations, 0)',
    ]);
  });
});

describe('misuse, as plain JavaScript can pass it', () => {
  const attempts: [string, (stack: TerraformStack) => unknown, RegExp][] = [
    ['no props at all', (stack) => new QueuePair(stack, 'x', undefined as never), /construct "QueuePair x": props must be an object, but undefined was provided/],
    ['a queue given as a string', (stack) => new QueuePair(stack, 'x', { queue: 'orders', environment: 'staging' } as never), /queue must be a queue definition object, but "orders" was provided/],
    ['a missing environment', (stack) => new QueuePair(stack, 'x', { queue: { name: 'orders' } } as never), /environment must be an environment name or \{ name, \.\.\.profile \}, but undefined was provided/],
    ['an invalid environment name', (stack) => new QueuePair(stack, 'x', { queue: { name: 'orders' }, environment: 'Prod!' }), /environment "Prod!": name must be lowercase letters/],
    ['a misspelt prop', (stack) => new QueuePair(stack, 'x', { queue: { name: 'orders' }, environment: 'staging', kmsKey: 'k' } as never), /unknown field "kmsKey"; did you mean "kmsKeyArn"\?/],
    ['function alarms without a function', (stack) => new FunctionAlarms(stack, 'x', { function: 'audit-writer', alertTopicArn: ONCALL } as never), /function must be a BundledFunction/],
    ['alarms without a pair', (stack) => new QueueAlarms(stack, 'x', { queuePair: { name: 'orders' }, alertTopicArn: ONCALL } as never), /queuePair must be a QueuePair/],
    ['a consumer of nothing', (stack) => new QueueConsumer(stack, 'x', { function: { name: 'w', entry: WORKER } } as never), /queue must be a QueuePair or an existing queue/],
    ['a function without an entry', (stack) => new BundledFunction(stack, 'x', { environment: 'staging', function: { name: 'w' } } as never), /entry must be the path of the handler module, but undefined was provided/],
    ['an entry that does not export handler', (stack) => new BundledFunction(stack, 'x', { environment: 'staging', function: { name: 'w', entry: path.join(__dirname, '..', 'support', 'synth.ts') } }), /does not export handler/],
    ['a function with queue wiring outside a topology', (stack) => new BundledFunction(stack, 'x', { environment: 'staging', function: { name: 'w', entry: WORKER, consumes: { queue: 'q' } } as never }), /consumes is wired by the constructs outside a topology/],
  ];

  it.each(attempts)('%s: one SpecValidationError naming the prop, nothing added to the stack', (_case, attempt, message) => {
    const stack = new TerraformStack(Testing.app(), 'misuse');
    let thrown: unknown;
    try {
      attempt(stack);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpecValidationError);
    expect((thrown as Error).message).toMatch(message);
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
  });
});
