/**
 * Environments and names users choose: a fourth environment added only in the profiles (`qa`)
 * synthesizes, renders in CloudFormation and runs locally; two deployments of the kit with
 * different scopes in one cdktf app share no name.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { bundleLambda } from '../../bundling/bundle-lambda';
import { demoOrder } from '../../demo/traffic';
import { startLocalPipeline, type LocalPipeline } from '../../local/pipeline';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';
import { buildGraphs, isCreated, withScaledTimings, type EnvironmentGraph, type EnvironmentProfiles } from '../../model';
import { buildMessagingApp } from '../../stacks/app';
import { environments } from '../../stacks/environments';
import { MessagingStack } from '../../stacks/messaging-stack';
import { topology } from '../../stacks/topology';
import { buildMessagingTemplate } from '../../templates/render';
import { waitFor } from '../local/support';
import { differences, fromCloudFormation, fromModel } from '../support/model-equivalence';

/** The reference profiles plus qa, defined only here. */
const withQa: EnvironmentProfiles = {
  ...environments,
  qa: { alerts: { actionsEnabled: false }, alarms: { depth: { threshold: 50 } }, logRetentionDays: 3, tags: { CostCenter: 'quality' } },
};

const scratch = mkdtempSync(path.join(tmpdir(), 'environments-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a fourth environment added only in the profiles', () => {
  it('synthesizes its own stack', async () => {
    const outdir = path.join(scratch, 'qa.out');
    const { app } = await buildMessagingApp({ topology, environments: withQa, only: ['qa'], outdir });
    app.synth();
    const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', 'qa', 'cdk.tf.json'), 'utf8'));
    const queues = Object.values(json.resource.aws_sqs_queue as Record<string, { name: string }>).map((queue) => queue.name);
    expect(queues).toContain('qa-order-queue');
    const depth = Object.values(json.resource.aws_cloudwatch_metric_alarm as Record<string, { alarm_name: string; threshold: number }>).find((alarm) => alarm.alarm_name === 'qa-order-queue-depth');
    expect(depth?.threshold).toBe(50);
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.qa.tfstate' } });
  });

  it('is one more allowed value of the CloudFormation template\'s Environment parameter, rendering exactly its graph', () => {
    const { template, graphs } = buildMessagingTemplate({ topology, environments: withQa });
    expect(template.Parameters.Environment!.AllowedValues).toEqual(['development', 'staging', 'production', 'qa']);
    const qa = graphs.find((graph) => graph.environment === 'qa')!;
    expect(differences(fromModel(qa, { outputs: 'cloudformation' }), fromCloudFormation(template, 'qa'), 'cloudformation')).toEqual([]);
  });

  describe('runs locally', () => {
    let sqs: LocalSqs | undefined;
    let pipeline: LocalPipeline | undefined;
    afterAll(async () => {
      await pipeline?.stop();
      await sqs?.stop();
    });

    it('orders sent to qa\'s order-service reach qa\'s notification-service', async () => {
      const qa = buildGraphs(topology, withQa, ['qa'])[0]!;
      sqs = await startLocalSqs({ port: 0 });
      let notified = 0;
      pipeline = await startLocalPipeline({
        graph: withScaledTimings(qa).graph,
        server: sqs,
        bundle: (fn) => bundleLambda(fn.entry).file,
        waitTimeSeconds: 1,
        onInvocation: (report) => {
          if (report.functionName === 'qa-notification-service') notified += report.deleted.length;
        },
      });
      expect(pipeline.queues.map((queue) => queue.spec.queueName)).toEqual(['qa-order-queue', 'qa-inventory-queue', 'qa-notification-queue']);
      const producer = pipeline.producers.find((candidate) => candidate.fn.name === 'order-service')!;
      await producer.pool.invoke({ orders: [0, 1, 2].map((index) => demoOrder('qa', index)), correlationId: 'qa-run' });
      await waitFor('3 orders at qa-notification-service', () => notified >= 3, 30_000);
      expect(notified).toBe(3);
    }, 60_000);
  });
});

describe('two deployments with different scopes in one app', () => {
  /** The properties that name an AWS resource. */
  const NAMES = ['QueueName', 'RoleName', 'ManagedPolicyName', 'FunctionName', 'AlarmName', 'LogGroupName', 'TopicName', 'AliasName'];
  /** Every name a graph gives AWS resources and exports. */
  const namesOf = (graph: EnvironmentGraph) =>
    new Set([
      ...graph.nodes.flatMap((node) => (isCreated(node) ? Object.entries(node.properties).filter(([key, value]) => NAMES.includes(key) && typeof value === 'string').map(([, value]) => value as string) : [])),
      ...graph.outputs.map((output) => output.exportName),
    ]);

  it('synthesize side by side with no name in common', () => {
    const orders = buildGraphs(topology, { development: { ...environments.development, scope: 'orders' } })[0]!;
    const fulfilment = buildGraphs(topology, { development: { ...environments.development, scope: 'fulfilment' } })[0]!;
    const app = new App({ outdir: path.join(scratch, 'scopes.out') });
    new MessagingStack(app, { graph: orders });
    new MessagingStack(app, { graph: fulfilment });
    app.synth();

    expect(app.node.children.map((stack) => stack.node.id).sort()).toEqual(['fulfilment-development', 'orders-development']);
    const [ours, theirs] = [namesOf(orders), namesOf(fulfilment)];
    expect(ours.size).toBeGreaterThan(40);
    expect([...ours].filter((name) => theirs.has(name))).toEqual([]);
    expect(ours).toContain('orders-development-order-queue');
    expect(ours).toContain('orders-development-order-service-role');
    expect(ours).toContain('orders-development-OrderQueueUrl');
    for (const stack of ['orders-development', 'fulfilment-development']) {
      const json = JSON.parse(readFileSync(path.join(scratch, 'scopes.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      expect(Object.values(json.resource.aws_lambda_function as Record<string, { function_name: string }>).every((fn) => fn.function_name.startsWith(`${stack}-`))).toBe(true);
    }
  });
});
