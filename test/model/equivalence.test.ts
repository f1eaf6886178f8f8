/**
 * One equivalence test against the model: for each environment, the synthesized Terraform, the
 * CloudFormation template evaluated for that environment, and the queues actually created on the
 * embedded server each equal what the graph says — every node, property, reference, tag,
 * dependency and output (test/support/model-equivalence.ts reads each rendering back). The last
 * block proves each comparison notices a difference.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createLocalDynamoDbClient } from '../../local/dynamodb-client';
import { startLocalDynamoDb } from '../../local/dynamodb-server';
import { buildGraphs, isCreated, type EnvironmentGraph, type EnvironmentProfiles, type Topology } from '../../model';
import { LocalReferences } from '../../local/local-references';
import { provisionGraph } from '../../local/provision';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { buildMessagingTemplate, type CfnTemplate } from '../../templates/render';
import { startTestServer, stopTestServer, type TestServer } from '../local/support';
import { differences, fromCloudFormation, fromLocalServer, fromModel, fromTerraform, withSqsDefaults, type ReadRendering } from '../support/model-equivalence';
import { synthesizeEnvironment, type TerraformJson } from '../support/synth';
import { variantEnvironments, variantTopology } from '../support/template-variant';

interface Renderings {
  readonly graphs: readonly EnvironmentGraph[];
  readonly template: CfnTemplate;
  readonly terraform: ReadonlyMap<string, TerraformJson>;
}

function render(description: { topology: Topology; environments: EnvironmentProfiles }): Renderings {
  const { graphs, template } = buildMessagingTemplate(description);
  const terraform = new Map(graphs.map((graph) => [graph.environment, synthesizeEnvironment(graph.environment, description).written] as const));
  return { graphs, template, terraform };
}

const graphOf = (renderings: Renderings, environment: string) => renderings.graphs.find((graph) => graph.environment === environment)!;
const terraformDifferences = (renderings: Renderings, environment: string, json = renderings.terraform.get(environment)!) =>
  differences(fromModel(graphOf(renderings, environment)), fromTerraform(json), 'terraform');
const cloudFormationDifferences = (renderings: Renderings, environment: string, template = renderings.template) =>
  differences(fromModel(graphOf(renderings, environment), { outputs: 'cloudformation' }), fromCloudFormation(template, environment), 'cloudformation');

/** The graph's queues and queue policies with references filled in as local mode fills them. */
function localModel(graph: EnvironmentGraph, references: LocalReferences): ReadRendering {
  const model = fromModel(graph);
  const nodes = Object.fromEntries(
    Object.entries(model.nodes)
      .filter(([, node]) => node.type === 'sqs:queue' || node.type === 'sqs:queue-policy')
      .map(([id, node]) => {
        const { QueueName, ...attributes } = node.properties;
        // What SQS reports for attributes the graph leaves unset (a DLQ's visibility, …) is SQS's default.
        const properties = node.type === 'sqs:queue' ? { QueueName, ...withSqsDefaults(attributes) } : node.properties;
        return [id, { type: node.type, properties: references.resolve(properties as never) as Record<string, unknown>, ...(node.tags ? { tags: node.tags } : {}) }];
      }),
  );
  return { nodes, outputs: {} };
}

/** Provisions `graph` on a fresh embedded server and reads back what the server holds. */
async function localDifferences(graph: EnvironmentGraph, tamper?: (server: TestServer) => Promise<void>): Promise<string[]> {
  const server = await startTestServer();
  try {
    const { references } = await provisionGraph(server.client, graph, { endpoint: server.sqs.endpoint, region: server.sqs.region });
    await tamper?.(server);
    const queueIds = new Map(graph.nodes.flatMap((node) => (isCreated(node) && node.type === 'sqs:queue' ? [[node.properties.QueueName, node.id] as const] : [])));
    const read = await fromLocalServer(server.client, graph.namePrefix, server.sqs.endpoint, (name) => queueIds.get(name) ?? `(not in the model) ${name}`);
    return differences(localModel(graph, references), read, 'local server');
  } finally {
    await stopTestServer(server);
  }
}

let reference: Renderings;
let variant: Renderings;
beforeAll(() => {
  reference = render({ topology, environments });
  variant = render({ topology: variantTopology, environments: variantEnvironments });
}, 60_000);

describe.each(Object.keys(environments))('reference topology, %s: every rendering equals the model', (environment) => {
  it('Terraform', () => {
    expect(terraformDifferences(reference, environment)).toEqual([]);
  });

  it('CloudFormation', () => {
    expect(cloudFormationDifferences(reference, environment)).toEqual([]);
  });

  it('the queues local mode creates on the embedded server', async () => {
    expect(await localDifferences(graphOf(reference, environment))).toEqual([]);
  });

  it('the idempotency table local mode creates on the embedded DynamoDB server (what it emulates: name, key, billing)', async () => {
    const graph = graphOf(reference, environment);
    const [server, dynamo] = await Promise.all([startTestServer(), startLocalDynamoDb({ port: 0 })]);
    const client = createLocalDynamoDbClient(dynamo.endpoint, server.sqs.region);
    try {
      await provisionGraph(server.client, graph, { endpoint: server.sqs.endpoint, region: server.sqs.region, dynamoDb: client });
      const table = graph.pieces.idempotencyTable!;
      const { Table } = await client.send(new DescribeTableCommand({ TableName: table.properties.TableName }));
      const { TableName, AttributeDefinitions, KeySchema, BillingMode } = table.properties;
      expect({ TableName: Table?.TableName, AttributeDefinitions: Table?.AttributeDefinitions, KeySchema: Table?.KeySchema, BillingMode: Table?.BillingModeSummary?.BillingMode }).toEqual({
        TableName,
        AttributeDefinitions,
        KeySchema,
        BillingMode,
      });
    } finally {
      client.destroy();
      await Promise.all([dynamo.stop(), stopTestServer(server)]);
    }
  });

  it('covers the whole environment', () => {
    const model = fromModel(graphOf(reference, environment));
    const count = (type: string) => Object.values(model.nodes).filter((node) => node.type === type).length;
    // Send and consume per queue, the operator and endpoint-reading policies; three alarms per
    // queue and two per function; four endpoint parameters per queue.
    expect([count('sqs:queue'), count('sqs:queue-policy'), count('iam:managed-policy'), count('cloudwatch:alarm')]).toEqual([6, 6, 8, 17]);
    expect([count('cloudwatch:dashboard'), count('ssm:parameter')]).toEqual([1, 12]);
    expect([count('lambda:function'), count('iam:role'), count('lambda:event-source-mapping'), count('kms:key'), count('dynamodb:table')]).toEqual([4, 4, 3, environment === 'production' ? 1 : 0, 1]);
    expect(Object.keys(model.outputs)).toHaveLength(27);
  });
});

describe.each(Object.keys(variantEnvironments))('variant (FIFO, own key and topic, disabled alarm, reserved concurrency), %s', (environment) => {
  it('Terraform, CloudFormation and local mode equal the model', async () => {
    expect(terraformDifferences(variant, environment)).toEqual([]);
    expect(cloudFormationDifferences(variant, environment)).toEqual([]);
    expect(await localDifferences(graphOf(variant, environment))).toEqual([]);
  });
});

describe('each comparison has teeth', () => {
  const production = () => structuredClone(reference.terraform.get('production')!);
  const resourceNamed = (json: TerraformJson, type: string, name: string) => Object.values(json.resource[type]!).find((resource) => resource.name === name)!;
  const mutatedTemplate = (mutate: (template: any) => void): CfnTemplate => {
    const copy = structuredClone(reference.template) as any;
    mutate(copy);
    return copy;
  };

  it('Terraform: a changed queue attribute', () => {
    const json = production();
    resourceNamed(json, 'aws_sqs_queue', 'production-order-queue').visibility_timeout_seconds = 61;
    expect(terraformDifferences(reference, 'production', json)).toEqual(['nodes.OrderQueue.properties.VisibilityTimeout: model 60 ≠ terraform 61']);
  });

  it('Terraform: a KMS statement missing from a policy, and an attachment missing from a role', () => {
    const json = production();
    const send = resourceNamed(json, 'aws_iam_policy', 'production-order-queue-send');
    const document = JSON.parse(send.policy as string);
    document.Statement = document.Statement.filter((statement: { Sid: string }) => statement.Sid !== 'EncryptWithQueueKey');
    send.policy = JSON.stringify(document);
    const [attachment] = Object.keys(json.resource.aws_iam_role_policy_attachment!).filter((id) => id.includes('OrderConsumePolicy'));
    delete json.resource.aws_iam_role_policy_attachment![attachment!];
    const found = terraformDifferences(reference, 'production', json);
    expect(found).toEqual([
      expect.stringMatching(/^nodes\.OrderSendPolicy\.properties\.PolicyDocument\.Statement: /),
      expect.stringMatching(/^nodes\.InventoryServiceRole\.properties\.ManagedPolicyArns: /),
      // What still depends on the removed attachment now names a resource of no node.
      expect.stringMatching(/^nodes\.InventoryServiceFunction\.dependsOn: .*aws_iam_role_policy_attachment\./),
      expect.stringMatching(/^nodes\.InventoryServiceEventSourceMapping\.dependsOn: .*aws_iam_role_policy_attachment\./),
    ]);
  });

  it('Terraform: an argument or a resource the model does not describe', () => {
    const json = production();
    resourceNamed(json, 'aws_sqs_queue', 'production-order-queue').sqs_managed_sse_enabled_extra = true;
    expect(() => fromTerraform(json)).toThrow(/argument sqs_managed_sse_enabled_extra is not explained by the name table of sqs:queue/);
    const extra = production();
    extra.resource.aws_sqs_queue!.stray = { name: 'stray' };
    expect(() => fromTerraform(extra)).toThrow(/aws_sqs_queue\.stray names no graph node/);
  });

  it('CloudFormation: a threshold changed in one environment of a mapping, and only there', () => {
    const template = mutatedTemplate((t) => (t.Mappings.OrderQueueDepthAlarm.staging.Threshold = 501));
    expect(cloudFormationDifferences(reference, 'staging', template)).toEqual(['nodes.OrderQueueDepthAlarm.properties.Threshold: model 500 ≠ cloudformation 501']);
    expect(cloudFormationDifferences(reference, 'production', template)).toEqual([]);
  });

  it('CloudFormation: a consumer wired to another queue, a log group without its key, an extra property', () => {
    const template = mutatedTemplate((t) => {
      t.Resources.InventoryServiceEventSourceMapping.Properties.EventSourceArn = { 'Fn::GetAtt': ['NotificationQueue', 'Arn'] };
      delete t.Resources.InventoryServiceLogGroup.Properties.KmsKeyId;
      t.Resources.OrderServiceFunction.Properties.EphemeralStorage = { Size: 1024 };
    });
    expect(cloudFormationDifferences(reference, 'production', template)).toEqual([
      'nodes.OrderServiceFunction.properties.EphemeralStorage: model undefined ≠ cloudformation {"Size":1024}',
      'nodes.InventoryServiceLogGroup.properties.KmsKeyId: model {"$ref":"EncryptionKey","$attribute":"arn"} ≠ cloudformation undefined',
      'nodes.InventoryServiceEventSourceMapping.properties.EventSourceArn: model {"$ref":"OrderQueue","$attribute":"arn"} ≠ cloudformation {"$ref":"NotificationQueue","$attribute":"arn"}',
    ]);
  });

  it('local: an attribute changed on the server, and a queue the model does not have', async () => {
    const graph = graphOf(reference, 'staging');
    const found = await localDifferences(graph, async (server) => {
      const url = `${server.sqs.endpoint}/000000000000/staging-notification-queue`;
      await server.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MessageRetentionPeriod: '3600' } }));
      await server.client.send(new CreateQueueCommand({ QueueName: 'staging-stray-queue' }));
    });
    expect(found).toEqual([
      'nodes.NotificationQueue.properties.MessageRetentionPeriod: model 86400 ≠ local server 3600',
      expect.stringMatching(/^nodes\.\(not in the model\) staging-stray-queue: model undefined ≠ local server /),
    ]);
  });
});

describe('names in common', () => {
  it('no two graphs of the reference profiles share a resource name', () => {
    const graphs = buildGraphs(topology, environments);
    const names = graphs.map((graph) => new Set(graph.nodes.flatMap((node) => (isCreated(node) ? Object.values(node.properties).filter((value) => typeof value === 'string' && value.includes(graph.environment)) : []))));
    for (const [index, own] of names.entries()) {
      for (const other of names.slice(index + 1)) expect([...own].filter((name) => other.has(name))).toEqual([]);
    }
  });
});
