/**
 * The three environment stacks, synthesized from the reference topology and asserted on the real
 * Terraform JSON (cdktf Testing matchers plus direct inspection).
 */
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { environments } from '../../stacks/environments';
import { referenceTo, resourcesOf, resourceWhere, synthesizeEnvironment } from '../support/synth';

const DAY = 86_400;
const SEED = {
  order: { visibility: 60, retention: 4 * DAY, dlqRetention: 14 * DAY, maxReceiveCount: 3 },
  inventory: { visibility: 30, retention: 4 * DAY, dlqRetention: 14 * DAY, maxReceiveCount: 3 },
  notification: { visibility: 30, retention: 1 * DAY, dlqRetention: 7 * DAY, maxReceiveCount: 5 },
} as const;

/** The reference profiles: development, staging, production. */
const ENVIRONMENT_NAMES = Object.keys(environments);
type EnvironmentName = string;

const synthesized = new Map<EnvironmentName, ReturnType<typeof synthesizeEnvironment>>();
beforeAll(() => {
  for (const env of ENVIRONMENT_NAMES) synthesized.set(env, synthesizeEnvironment(env));
});
const stackOf = (env: EnvironmentName) => synthesized.get(env)!;

function parsePolicy(text: unknown): { Statement: Record<string, unknown>[] } {
  expect(typeof text).toBe('string');
  return JSON.parse(text as string);
}

describe.each(ENVIRONMENT_NAMES)('%s stack', (env) => {
  it('is a valid cdktf stack with six queues named <env>-<queue>-queue / -dlq', () => {
    const { synthesized: text, json } = stackOf(env);
    expect(text).toHaveResource(SqsQueue);
    const names = resourcesOf(json, 'aws_sqs_queue').map((queue) => queue.name).sort();
    expect(names).toEqual(
      ['order', 'inventory', 'notification'].flatMap((q) => [`${env}-${q}-queue`, `${env}-${q}-dlq`]).sort(),
    );
  });

  it.each(Object.entries(SEED))('%s queue pair has the seed settings, redrive and 1 MiB messages', (queue, seed) => {
    const { synthesized: text, json } = stackOf(env);
    expect(text).toHaveResourceWithProperties(SqsQueue, {
      name: `${env}-${queue}-queue`,
      visibility_timeout_seconds: seed.visibility,
      message_retention_seconds: seed.retention,
      receive_wait_time_seconds: 20,
      max_message_size: 1_048_576,
      delay_seconds: 0,
    });
    expect(text).toHaveResourceWithProperties(SqsQueue, { name: `${env}-${queue}-dlq`, message_retention_seconds: seed.dlqRetention });
    const source = resourceWhere(json, 'aws_sqs_queue', 'name', `${env}-${queue}-queue`);
    expect(JSON.parse(source.redrive_policy as string)).toEqual({
      deadLetterTargetArn: referenceTo(json, 'aws_sqs_queue', `${env}-${queue}-dlq`, 'arn'),
      maxReceiveCount: seed.maxReceiveCount,
    });
  });

  it('allows redrive into each DLQ from its own source queue only, named by an ARN built from its name', () => {
    const { json } = stackOf(env);
    const data = (type: string, attribute: string) => `\${data.${type}.${Object.keys(json.data![type]!)[0]}.${attribute}}`;
    for (const queue of Object.keys(SEED)) {
      const dlq = resourceWhere(json, 'aws_sqs_queue', 'name', `${env}-${queue}-dlq`);
      expect(JSON.parse(dlq.redrive_allow_policy as string)).toEqual({
        redrivePermission: 'byQueue',
        sourceQueueArns: [`arn:${data('aws_partition', 'partition')}:sqs:${data('aws_region', 'region')}:${data('aws_caller_identity', 'account_id')}:${env}-${queue}-queue`],
      });
      expect(resourceWhere(json, 'aws_sqs_queue', 'name', `${env}-${queue}-queue`).redrive_allow_policy).toBeUndefined();
    }
  });

  it('puts a TLS-only queue policy on all six queues', () => {
    const { json } = stackOf(env);
    const policies = resourcesOf(json, 'aws_sqs_queue_policy');
    expect(policies).toHaveLength(6);
    const covered = new Set<unknown>();
    for (const policy of policies) {
      const [statement] = parsePolicy(policy.policy).Statement;
      expect(statement).toMatchObject({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      // The policy protects the queue it is attached to.
      expect(String(policy.queue_url).replace('.url}', '')).toBe(String(statement!.Resource).replace('.arn}', ''));
      covered.add(policy.queue_url);
    }
    expect(covered.size).toBe(6);
  });

  it('encrypts every queue at rest', () => {
    const { json } = stackOf(env);
    for (const queue of resourcesOf(json, 'aws_sqs_queue')) {
      if (env === 'production') {
        expect(queue.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
        expect(queue.kms_data_key_reuse_period_seconds).toBe(300);
      } else {
        expect(queue.sqs_managed_sse_enabled).toBe(true);
      }
    }
  });

  it('has three alarms per queue pair, all notifying the alert topic', () => {
    const { synthesized: text, json } = stackOf(env);
    const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(9);
    const topicArn = referenceTo(json, 'aws_sns_topic', `${env}-sqs-alerts`, 'arn');
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toEqual([topicArn]);
      expect(alarm.actions_enabled).toBe(env !== 'development');
      expect(alarm.ok_actions).toEqual(env === 'production' ? [topicArn] : undefined);
    }
    for (const queue of Object.keys(SEED)) {
      expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `${env}-${queue}-dlq-not-empty`,
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: `${env}-${queue}-dlq` },
        statistic: 'Sum',
        threshold: 1,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        period: 60,
        evaluation_periods: 1,
        treat_missing_data: 'notBreaching',
      });
      expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `${env}-${queue}-queue-oldest-message-age`,
        metric_name: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: `${env}-${queue}-queue` },
        statistic: 'Maximum',
        period: 60,
        evaluation_periods: 5,
      });
      expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `${env}-${queue}-queue-depth`,
        metric_name: 'ApproximateNumberOfMessagesVisible',
        statistic: 'Average',
        period: 300,
        evaluation_periods: 2,
        comparison_operator: 'GreaterThanThreshold',
      });
    }
  });

  it('has a send and a consume policy per queue with explicit actions on that queue only', () => {
    const { json } = stackOf(env);
    const queuePolicies = resourcesOf(json, 'aws_iam_policy').filter((p) => /-queue-(send|consume)$/.test(String(p.name)));
    expect(queuePolicies).toHaveLength(6);
    for (const queue of Object.keys(SEED)) {
      const queueArn = referenceTo(json, 'aws_sqs_queue', `${env}-${queue}-queue`, 'arn');
      const send = parsePolicy(resourceWhere(json, 'aws_iam_policy', 'name', `${env}-${queue}-queue-send`).policy);
      const consume = parsePolicy(resourceWhere(json, 'aws_iam_policy', 'name', `${env}-${queue}-queue-consume`).policy);
      expect(send.Statement[0]).toEqual({ Sid: 'SendToQueue', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: queueArn });
      expect(consume.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: queueArn });
      expect(consume.Statement[0]!.Action).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
      );
      if (env === 'production') {
        expect(send.Statement[1]).toMatchObject({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'] });
        expect(consume.Statement[1]).toMatchObject({ Action: ['kms:Decrypt'] });
      } else {
        expect(send.Statement).toHaveLength(1);
      }
    }
  });

  it('has an operator policy with exactly what ops does, on this environment\'s queues only', () => {
    const { json } = stackOf(env);
    const policy = resourceWhere(json, 'aws_iam_policy', 'name', `${env}-sqs-operator`);
    const [dlqs, queues, key] = parsePolicy(policy.policy).Statement;
    const arnsOf = (kind: 'queue' | 'dlq') => Object.keys(SEED).map((queue) => referenceTo(json, 'aws_sqs_queue', `${env}-${queue}-${kind}`, 'arn'));
    expect(dlqs).toEqual({
      Sid: 'OperateDeadLetterQueues',
      Effect: 'Allow',
      Action: [
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:StartMessageMoveTask',
        'sqs:ListMessageMoveTasks',
        'sqs:CancelMessageMoveTask',
        'sqs:PurgeQueue',
      ],
      Resource: arnsOf('dlq'),
    });
    expect(queues).toEqual({ Sid: 'OperateQueues', Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:SendMessage'], Resource: arnsOf('queue') });
    if (env === 'production') expect(key).toMatchObject({ Sid: 'OperateWithQueueKey', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: expect.stringMatching(/^\$\{aws_kms_key\./) });
    else expect(key).toBeUndefined();
    expect(json.output.operator_policy_arn!.value).toBe(referenceTo(json, 'aws_iam_policy', `${env}-sqs-operator`, 'arn'));
  });

  it('grants no "*" action or resource in any IAM policy', () => {
    const { json } = stackOf(env);
    const documents = [
      ...resourcesOf(json, 'aws_iam_policy').map((p) => p.policy),
      ...resourcesOf(json, 'aws_iam_role_policy').map((p) => p.policy),
    ];
    expect(documents.length).toBeGreaterThanOrEqual(6);
    for (const document of documents) {
      for (const statement of parsePolicy(document).Statement) {
        const actions = [statement.Action].flat() as string[];
        const resources = [statement.Resource].flat() as string[];
        expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
        // X-Ray is the one service that needs "*" (no resource-level permissions).
        if (!actions.every((a) => a.startsWith('xray:'))) expect(resources).not.toContain('*');
      }
    }
  });

  it('exports the queue URLs, ARNs, policy ARNs, the alert topic, the idempotency table, the dashboard, the parameter path and the order-service function URL', () => {
    const { json } = stackOf(env);
    const expected = ['order', 'inventory', 'notification'].flatMap((q) =>
      ['queue_url', 'queue_arn', 'dlq_url', 'dlq_arn', 'send_policy_arn', 'consume_policy_arn'].map((what) => `${q}_${what}`),
    );
    expect(Object.keys(json.output).sort()).toEqual(
      [
        ...expected,
        'alert_topic_arn',
        'operator_policy_arn',
        'idempotency_table_name',
        'idempotency_table_arn',
        'order_service_function_url',
        'dashboard_name',
        'dashboard_url',
        'parameter_path',
        'endpoints_read_policy_arn',
      ].sort(),
    );
    expect(json.output.parameter_path!.value).toBe(`/${env}/messaging`);
    expect(json.output.dashboard_name!.value).toBe(referenceTo(json, 'aws_cloudwatch_dashboard', `${env}-messaging`, 'dashboard_name'));
    expect(json.output.idempotency_table_name!.value).toBe(referenceTo(json, 'aws_dynamodb_table', `${env}-idempotency`, 'name'));
    const [urlId] = Object.keys(json.resource.aws_lambda_function_url!);
    expect(json.output.order_service_function_url).toEqual({
      value: `\${aws_lambda_function_url.${urlId}.function_url}`,
      description: expect.stringContaining('order-service'),
    });
    expect(json.output.order_queue_url!.value).toBe(referenceTo(json, 'aws_sqs_queue', `${env}-order-queue`, 'url'));
    expect(json.output.notification_dlq_arn!.value).toBe(referenceTo(json, 'aws_sqs_queue', `${env}-notification-dlq`, 'arn'));
    expect(json.output.alert_topic_arn!.value).toBe(referenceTo(json, 'aws_sns_topic', `${env}-sqs-alerts`, 'arn'));
  });
});

describe('environment differences', () => {
  it('uses the seed alarm thresholds in production and lower ones in development', () => {
    const depth = (env: EnvironmentName) =>
      resourceWhere(stackOf(env).json, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${env}-order-queue-depth`).threshold;
    expect(depth('production')).toBe(1000);
    expect(depth('staging')).toBe(500);
    expect(depth('development')).toBe(100);
    const age = resourceWhere(stackOf('production').json, 'aws_cloudwatch_metric_alarm', 'alarm_name', 'production-order-queue-oldest-message-age');
    expect(age.threshold).toBe(300);
  });

  it('creates a rotating KMS key only in production, and encrypts its alert topic with it', () => {
    expect(resourcesOf(stackOf('development').json, 'aws_kms_key')).toHaveLength(0);
    const [key] = resourcesOf(stackOf('production').json, 'aws_kms_key');
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const topic = resourceWhere(stackOf('production').json, 'aws_sns_topic', 'name', 'production-sqs-alerts');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  it('lets only AWS services create grants on the production key (CT.KMS.PR.3)', () => {
    const [key] = resourcesOf(stackOf('production').json, 'aws_kms_key');
    expect(parsePolicy(key!.policy).Statement).toContainEqual({
      Sid: 'DenyGrantsExceptForAwsServices',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  it('lets CloudWatch Logs of the deploying region use the production key for this account\'s log groups, with nothing hard-coded', () => {
    const { json } = stackOf('production');
    const data = (type: string, attribute: string) => `\${data.${type}.${Object.keys(json.data![type]!)[0]}.${attribute}}`;
    const [region, partition, account] = [data('aws_region', 'region'), data('aws_partition', 'partition'), data('aws_caller_identity', 'account_id')];
    const [key] = resourcesOf(json, 'aws_kms_key');
    expect(parsePolicy(key!.policy).Statement).toContainEqual({
      Sid: 'CloudWatchLogsEncryptLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
    });
  });

  it('encrypts the function log groups with the environment key in production only (CT.CLOUDWATCH.PR.3)', () => {
    const [keyId] = Object.keys(stackOf('production').json.resource.aws_kms_key!);
    const keyArn = `\${aws_kms_key.${keyId}.arn}`;
    for (const env of ENVIRONMENT_NAMES) {
      const groups = resourcesOf(stackOf(env).json, 'aws_cloudwatch_log_group');
      expect(groups).toHaveLength(4);
      for (const group of groups) expect(group.kms_key_id).toBe(env === 'production' ? keyArn : undefined);
    }
  });

  it('tags every queue with its environment', () => {
    for (const env of ENVIRONMENT_NAMES) {
      for (const queue of resourcesOf(stackOf(env).json, 'aws_sqs_queue')) {
        expect(queue.tags).toMatchObject({ Environment: env, ManagedBy: 'sqs-messaging-as-code' });
      }
    }
  });

  it('keeps local state beside cdktf.out unless remote state is configured, at a path relative to the stack folder', () => {
    expect(stackOf('production').json.terraform.backend).toEqual({ local: { path: '../../../terraform.production.tfstate' } });
  });
});

describe('optional remote state', () => {
  it('writes an encrypted S3 backend with native locking for the environment that asks for it', () => {
    const { json } = synthesizeEnvironment('staging', {
      environments: { ...environments, staging: { ...environments.staging, remoteState: { bucket: 'acme-terraform-state' } } },
    });
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'acme-terraform-state', key: 'staging/messaging.tfstate', encrypt: true, use_lockfile: true },
    });
  });
});
