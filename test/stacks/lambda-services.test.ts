/**
 * The Lambda services in each environment's synthesized stack: bundled code, runtime, event source
 * mappings, log groups, and roles that hold nothing beyond DESIGN §4.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { environments } from '../../stacks/environments';
import { referenceTo, resourcesOf, resourceWhere, synthesizeEnvironment, type TerraformJson } from '../support/synth';

const SERVICES = {
  'order-service': { consumes: undefined, publishes: 'order' },
  'inventory-service': { consumes: 'order', publishes: 'inventory' },
  'shipping-service': { consumes: 'inventory', publishes: 'notification' },
  'notification-service': { consumes: 'notification', publishes: undefined },
} as const;
type EnvironmentName = string;
const ENVIRONMENT_NAMES = Object.keys(environments);
const LOG_RETENTION: Record<EnvironmentName, number> = { development: 7, staging: 14, production: 90 };

const stacks = new Map<EnvironmentName, ReturnType<typeof synthesizeEnvironment>>();
beforeAll(() => {
  for (const env of ENVIRONMENT_NAMES) stacks.set(env, synthesizeEnvironment(env));
});

/** Every policy document a role ends up with: inline role policies and attached managed policies. */
function policiesOfRole(json: TerraformJson, roleName: string): { inline: any[]; attachedPolicyNames: string[] } {
  const roleRef = referenceTo(json, 'aws_iam_role', roleName, 'name');
  const inline = resourcesOf(json, 'aws_iam_role_policy')
    .filter((p) => p.role === roleRef)
    .flatMap((p) => JSON.parse(p.policy as string).Statement);
  const policiesById = json.resource.aws_iam_policy ?? {};
  const attachedPolicyNames = resourcesOf(json, 'aws_iam_role_policy_attachment')
    .filter((a) => a.role === roleRef)
    .map((a) => {
      const id = /^\$\{aws_iam_policy\.([\w-]+)\.arn\}$/.exec(String(a.policy_arn))?.[1];
      return String(policiesById[id!]?.name);
    });
  return { inline, attachedPolicyNames };
}

describe.each(ENVIRONMENT_NAMES)('%s Lambda services', (env) => {
  const json = () => stacks.get(env)!.json;

  it('has four nodejs24.x functions whose code is the bundle asset', () => {
    const text = stacks.get(env)!.synthesized;
    expect(text).toHaveResourceWithProperties(LambdaFunction, { runtime: 'nodejs24.x', handler: 'index.handler' });
    const functions = resourcesOf(json(), 'aws_lambda_function');
    expect(functions.map((f) => f.function_name).sort()).toEqual(Object.keys(SERVICES).map((s) => `${env}-${s}`).sort());
    for (const fn of functions) {
      expect(fn).toMatchObject({ runtime: 'nodejs24.x', architectures: ['arm64'], logging_config: { log_format: 'JSON' } });
      expect(String(fn.filename)).toMatch(/^assets\/.+\/[a-z-]+-service\.zip$/);
      // Base64 SHA-256 of the deterministic zip (what Lambda reports as CodeSha256).
      expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    }
  });

  it('sizes functions per environment', () => {
    const inventory = resourceWhere(json(), 'aws_lambda_function', 'function_name', `${env}-inventory-service`);
    expect(inventory.timeout).toBe(10);
    expect(inventory.memory_size).toBe(env === 'production' ? 512 : 256);
    expect(inventory.tracing_config).toEqual({ mode: env === 'production' ? 'Active' : 'PassThrough' });
    expect(resourceWhere(json(), 'aws_lambda_function', 'function_name', `${env}-shipping-service`).timeout).toBe(5);
  });

  it('has three event source mappings that report partial batch failures', () => {
    const text = stacks.get(env)!.synthesized;
    expect(text).toHaveResourceWithProperties(LambdaEventSourceMapping, { function_response_types: ['ReportBatchItemFailures'] });
    const mappings = resourcesOf(json(), 'aws_lambda_event_source_mapping');
    expect(mappings).toHaveLength(3);
    for (const [service, wiring] of Object.entries(SERVICES)) {
      if (!wiring.consumes) continue;
      const queueArn = referenceTo(json(), 'aws_sqs_queue', `${env}-${wiring.consumes}-queue`, 'arn');
      const mapping = mappings.find((m) => m.event_source_arn === queueArn);
      expect(mapping).toMatchObject({
        function_name: referenceTo(json(), 'aws_lambda_function', `${env}-${service}`, 'arn'),
        function_response_types: ['ReportBatchItemFailures'],
        batch_size: 10,
        maximum_batching_window_in_seconds: 0,
      });
    }
    const notification = mappings.find((m) => String(m.event_source_arn).includes('notification'));
    expect(notification?.scaling_config).toEqual({ maximum_concurrency: 5 });
  });

  it('gives each function one log group with the environment retention, encrypted with the environment key where there is one', () => {
    const groups = resourcesOf(json(), 'aws_cloudwatch_log_group');
    expect(groups).toHaveLength(4);
    for (const service of Object.keys(SERVICES)) {
      const group = resourceWhere(json(), 'aws_cloudwatch_log_group', 'name', `/aws/lambda/${env}-${service}`);
      expect(group.retention_in_days).toBe(LOG_RETENTION[env]);
      if (env === 'production') expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
      else expect(group).not.toHaveProperty('kms_key_id');
    }
  });

  it.each(Object.entries(SERVICES))('%s role holds only its log group, its input queue and its output queue', (service, wiring) => {
    const { inline, attachedPolicyNames } = policiesOfRole(json(), `${env}-${service}-role`);
    // The ARN of the function's own log group's streams, built from its name with the account's values.
    const data = (type: string, attribute: string) => `\${data.${type}.${Object.keys(json().data![type]!)[0]}.${attribute}}`;
    const logStreams = `arn:${data('aws_partition', 'partition')}:logs:${data('aws_region', 'region')}:${data('aws_caller_identity', 'account_id')}:log-group:/aws/lambda/${env}-${service}:*`;
    expect(inline[0]).toEqual({ Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logStreams });
    // Its own records in the environment's idempotency table: four item actions, no scan or query.
    expect(inline[1]).toEqual({
      Sid: 'UseIdempotencyTable',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      Resource: referenceTo(json(), 'aws_dynamodb_table', `${env}-idempotency`, 'arn'),
    });
    if (env === 'production') {
      expect(inline[2]).toEqual({ Sid: 'WriteTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' });
    }
    expect(inline).toHaveLength(env === 'production' ? 3 : 2);
    const expected = [
      ...(wiring.consumes ? [`${env}-${wiring.consumes}-queue-consume`] : []),
      ...(wiring.publishes ? [`${env}-${wiring.publishes}-queue-send`] : []),
    ];
    expect(attachedPolicyNames.sort()).toEqual(expected.sort());
    const role = resourceWhere(json(), 'aws_iam_role', 'name', `${env}-${service}-role`);
    expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
      { Sid: 'AssumedByLambda', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('hands producers their output queue URL, the idempotency table and service settings as environment variables', () => {
    const inventory = resourceWhere(json(), 'aws_lambda_function', 'function_name', `${env}-inventory-service`);
    expect((inventory.environment as any).variables).toMatchObject({
      INVENTORY_QUEUE_URL: referenceTo(json(), 'aws_sqs_queue', `${env}-inventory-queue`, 'url'),
      IDEMPOTENCY_TABLE_NAME: referenceTo(json(), 'aws_dynamodb_table', `${env}-idempotency`, 'name'),
      // The order queue's retention (4 days) plus its DLQ's (14 days): a redrive can come that late.
      IDEMPOTENCY_EXPIRY_SECONDS: String(18 * 86_400),
      ENVIRONMENT: env,
      POWERTOOLS_SERVICE_NAME: 'inventory-service',
      NODE_OPTIONS: '--enable-source-maps',
    });
    const orderService = resourceWhere(json(), 'aws_lambda_function', 'function_name', `${env}-order-service`);
    expect((orderService.environment as any).variables.IDEMPOTENCY_EXPIRY_SECONDS).toBe('86400');
  });

  it('keeps handled events in one on-demand table per environment, with TTL, KMS encryption and production\'s protection', () => {
    const table = resourceWhere(json(), 'aws_dynamodb_table', 'name', `${env}-idempotency`);
    expect(table).toMatchObject({
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'id',
      attribute: [{ name: 'id', type: 'S' }],
      ttl: { attribute_name: 'expiration', enabled: true },
      point_in_time_recovery: { enabled: env === 'production' },
      deletion_protection_enabled: env === 'production',
    });
    expect(table.server_side_encryption).toEqual(
      env === 'production' ? { enabled: true, kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\./) } : { enabled: true },
    );
  });

  it('exposes order-service through a function URL with IAM auth, and outputs the URL', () => {
    const urls = resourcesOf(json(), 'aws_lambda_function_url');
    expect(urls).toEqual([
      expect.objectContaining({
        authorization_type: 'AWS_IAM',
        function_name: referenceTo(json(), 'aws_lambda_function', `${env}-order-service`, 'arn'),
      }),
    ]);
    const [urlId] = Object.keys(json().resource.aws_lambda_function_url!);
    expect(json().output.order_service_function_url!.value).toBe(`\${aws_lambda_function_url.${urlId}.function_url}`);
    // Only functions with a URL get an output.
    expect(Object.keys(json().output).filter((name) => name.endsWith('_function_url'))).toEqual(['order_service_function_url']);
  });
});

it('synthesizes byte-identical Terraform JSON twice in a row (reproducible bundles and zips)', () => {
  expect(synthesizeEnvironment('staging').synthesized).toBe(stacks.get('staging')!.synthesized);
});

it('writes the bundles the functions point at into the synthesized assets', () => {
  const { stack } = stacks.get('development')!;
  // The construct bundles at synth time; the asset directory holds the ESM bundle and its map.
  const bundleDir = path.join(__dirname, '..', '..', '.build', 'lambdas', 'inventory-service');
  expect(existsSync(path.join(bundleDir, 'index.mjs'))).toBe(true);
  expect(stack.messaging.functions.size).toBe(4);
});
