/**
 * The Terraform stacks and the CloudFormation template are two renderings of one spec. For each
 * environment, the synthesized Terraform JSON and the template evaluated with that `Environment`
 * must reduce to the same summary (test/support/infra-summary.ts): queue names and attributes,
 * redrive and redrive-allow, every policy's actions and resources, alarms, functions, event source
 * mappings, outputs. The last block proves the comparison would notice a difference.
 */
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../constructs/spec';
import { buildMessagingTemplate, type BuiltTemplate, type CfnTemplate } from '../../templates/render';
import { diffSummaries, summarizeCloudFormation, summarizeTerraform, type InfraSummary } from '../support/infra-summary';
import { synthesizeEnvironment, type TerraformJson } from '../support/synth';
import { variantEnvironments, variantTopology } from '../support/template-variant';

interface Rendering {
  readonly built: BuiltTemplate;
  readonly terraform: ReadonlyMap<EnvironmentName, TerraformJson>;
}

function render(options: Parameters<typeof buildMessagingTemplate>[0] = {}): Rendering {
  const built = buildMessagingTemplate(options);
  const terraform = new Map(
    ENVIRONMENT_NAMES.map((env) => [env, synthesizeEnvironment(env, { ...(options.topology ? { topology: options.topology } : {}), ...(options.environments ? { environments: options.environments } : {}) }).json] as const),
  );
  return { built, terraform };
}

const specOf = (built: BuiltTemplate, env: EnvironmentName) => built.specs.find((spec) => spec.environment === env)!;
const cfnSummary = (built: BuiltTemplate, env: EnvironmentName, template: CfnTemplate = built.template): InfraSummary =>
  summarizeCloudFormation(template, env, specOf(built, env));

let reference: Rendering;
let variant: Rendering;
beforeAll(() => {
  reference = render();
  variant = render({ topology: variantTopology, environments: variantEnvironments });
});

describe.each(ENVIRONMENT_NAMES)('reference topology, %s', (env) => {
  it('Terraform and CloudFormation reduce to the same summary', () => {
    expect(diffSummaries(summarizeTerraform(reference.terraform.get(env)!), cfnSummary(reference.built, env))).toEqual([]);
  });

  it('the summary covers the whole environment', () => {
    const summary = cfnSummary(reference.built, env);
    expect(Object.keys(summary.queues)).toHaveLength(6);
    expect(Object.keys(summary.queuePolicies)).toHaveLength(6);
    expect(Object.keys(summary.managedPolicies)).toHaveLength(6);
    expect(Object.keys(summary.alarms)).toHaveLength(9);
    expect(Object.keys(summary.functions)).toHaveLength(4);
    expect(Object.keys(summary.roles)).toHaveLength(4);
    expect(Object.keys(summary.eventSourceMappings)).toHaveLength(3);
    expect(Object.keys(summary.outputs)).toHaveLength(20);
    expect(summary.outputs.order_service_function_url).toBe(`{{function-url:${env}-order-service.url}}`);
    expect(Object.keys(summary.keys)).toHaveLength(env === 'production' ? 1 : 0);
    for (const logGroup of Object.values(summary.logGroups)) {
      expect(logGroup.kmsKey).toBe(env === 'production' ? '{{kms-key:alias/production-sqs.arn}}' : undefined);
    }
    expect(summary.queues[`${env}-order-queue`]).toMatchObject({
      visibilityTimeoutSeconds: 60,
      redrive: { deadLetterTargetArn: `{{queue:${env}-order-dlq.arn}}`, maxReceiveCount: 3 },
    });
    expect(summary.queues[`${env}-order-dlq`]!.redriveAllow).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [`{{queue:${env}-order-queue.arn}}`] });
  });
});

describe.each(ENVIRONMENT_NAMES)('variant (FIFO, own key and topic, disabled alarm, reserved concurrency), %s', (env) => {
  it('Terraform and CloudFormation reduce to the same summary', () => {
    expect(diffSummaries(summarizeTerraform(variant.terraform.get(env)!), cfnSummary(variant.built, env))).toEqual([]);
  });
});

describe('the variant template uses every per-environment shape', () => {
  it('has conditions for the created key, the created topic, OK actions, tracing, a disabled alarm, reserved concurrency and a staging-only tag', () => {
    expect(Object.keys(variant.built.template.Conditions).sort()).toEqual(
      [
        'AlarmOkActions',
        'CreateAlertTopic',
        'CreateEncryptionKey',
        'HasTagTeam',
        'OrderOldestMessageAgeAlarmEnabled',
        'InventoryOldestMessageAgeAlarmEnabled',
        'ShippingServiceReservedConcurrency',
        'Tracing',
        'UseKmsEncryption',
      ].sort(),
    );
  });
});

describe('the comparison has teeth', () => {
  const production = () => summarizeTerraform(reference.terraform.get('production')!);
  const mutatedTemplate = (mutate: (template: any) => void): CfnTemplate => {
    const copy = structuredClone(reference.built.template) as any;
    mutate(copy);
    return copy;
  };

  it('reports a queue attribute changed in the CloudFormation template', () => {
    const template = mutatedTemplate((t) => (t.Resources.OrderQueue.Properties.VisibilityTimeout = 61));
    expect(diffSummaries(production(), cfnSummary(reference.built, 'production', template))).toEqual([
      'queues.production-order-queue.visibilityTimeoutSeconds: terraform 60 ≠ cloudformation 61',
    ]);
  });

  it('reports a threshold changed in one environment of a mapping, and only there', () => {
    const template = mutatedTemplate((t) => (t.Mappings.OrderQueueSettings.staging.DepthAlarmThreshold = 501));
    expect(diffSummaries(summarizeTerraform(reference.terraform.get('staging')!), cfnSummary(reference.built, 'staging', template))).toEqual([
      'alarms.staging-order-queue-depth.threshold: terraform 500 ≠ cloudformation 501',
    ]);
    expect(diffSummaries(production(), cfnSummary(reference.built, 'production', template))).toEqual([]);
  });

  it('reports a consumer wired to another queue', () => {
    const template = mutatedTemplate((t) => (t.Resources.InventoryServiceEventSourceMapping.Properties.EventSourceArn = { 'Fn::GetAtt': ['NotificationQueue', 'Arn'] }));
    expect(diffSummaries(production(), cfnSummary(reference.built, 'production', template))).toEqual([
      'eventSourceMappings.function:production-inventory-service.eventSource: terraform "{{queue:production-order-queue.arn}}" ≠ cloudformation "{{queue:production-notification-queue.arn}}"',
    ]);
  });

  it('reports a KMS statement missing from a Terraform policy', () => {
    const json = structuredClone(reference.terraform.get('production')!);
    const send = Object.values(json.resource.aws_iam_policy!).find((policy) => policy.name === 'production-order-queue-send')!;
    const document = JSON.parse(send.policy as string);
    document.Statement = document.Statement.filter((statement: { Sid: string }) => statement.Sid !== 'EncryptWithQueueKey');
    send.policy = JSON.stringify(document);
    const diff = diffSummaries(summarizeTerraform(json), cfnSummary(reference.built, 'production'));
    expect(diff).toHaveLength(1);
    expect(diff[0]).toMatch(/^managedPolicies\.production-order-queue-send\.statements: /);
  });

  it('reports a log group left without the environment key, and a function URL output pointing elsewhere', () => {
    const template = mutatedTemplate((t) => {
      delete t.Resources.InventoryServiceLogGroup.Properties.KmsKeyId;
      t.Outputs.OrderServiceFunctionUrl.Value = { 'Fn::GetAtt': ['OrderServiceFunction', 'Arn'] };
    });
    expect(diffSummaries(production(), cfnSummary(reference.built, 'production', template))).toEqual([
      'logGroups./aws/lambda/production-inventory-service.kmsKey: terraform "{{kms-key:alias/production-sqs.arn}}" ≠ cloudformation undefined',
      'outputs.order_service_function_url: terraform "{{function-url:production-order-service.url}}" ≠ cloudformation "{{function:production-order-service.arn}}"',
    ]);
  });

  it('reports an extra action granted on one side', () => {
    const template = mutatedTemplate((t) => t.Resources.OrderConsumePolicy.Properties.PolicyDocument.Statement[0].Action.push('sqs:PurgeQueue'));
    expect(diffSummaries(production(), cfnSummary(reference.built, 'production', template))).toEqual([
      expect.stringMatching(/^managedPolicies\.production-order-queue-consume\.statements: .*sqs:PurgeQueue/),
    ]);
  });

  it('fails loudly on a property the summary does not cover, instead of ignoring it', () => {
    const template = mutatedTemplate((t) => (t.Resources.OrderServiceFunction.Properties.EphemeralStorage = { Size: 1024 }));
    expect(() => cfnSummary(reference.built, 'production', template)).toThrow(/OrderServiceFunction.*not covered by the summary: EphemeralStorage/);
    const json = structuredClone(reference.terraform.get('production')!);
    Object.values(json.resource.aws_sqs_queue!)[0]!.sqs_managed_sse_enabled_extra = true;
    expect(() => summarizeTerraform(json)).toThrow(/not covered by the summary: sqs_managed_sse_enabled_extra/);
  });
});
