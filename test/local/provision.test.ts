/**
 * Local provisioning from the development graph: names, attributes, redrive and redrive-allow as
 * deployed, idempotent re-runs, and the outputs file in the deployed shape.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { buildGraph, withScaledTimings, type QueueDefinition } from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { localOutputs, writeOutputsFile } from '../../local/outputs';
import { provisionGraph } from '../../local/provision';
import { createLocalSqsClient } from '../../local/sqs-client';
import { startLocalSqs } from '../../local/sqs-server';
import { startTestServer, stopTestServer, type TestServer } from './support';

const development = buildGraph(topology, environments, 'development');
/** The graph of one queue pair in a development environment. */
const graphOf = (queue: QueueDefinition) => buildGraph({ queues: [queue] }, { development: {} }, 'development');
let server: TestServer | undefined;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await stopTestServer(server);
});

const provision = async (graph = development, target: TestServer = server!) =>
  (await provisionGraph(target.client, graph, { endpoint: target.sqs.endpoint, region: target.sqs.region })).queues;

async function attributesOf(url: string): Promise<Record<string, string>> {
  const response = await server!.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  return response.Attributes ?? {};
}

test('every development queue and DLQ is created with the model\'s names, attributes and redrive', async () => {
  const queues = await provision();
  expect(queues.map((queue) => queue.spec.queueName)).toEqual(['development-order-queue', 'development-inventory-queue', 'development-notification-queue']);

  for (const queue of queues) {
    const spec = queue.spec;
    const main = await attributesOf(queue.queueUrl);
    expect(main).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${spec.queueName}`,
      VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(spec.messageRetentionSeconds),
      DelaySeconds: String(spec.deliveryDelaySeconds),
      ReceiveMessageWaitTimeSeconds: String(spec.receiveWaitTimeSeconds),
      MaximumMessageSize: String(spec.maximumMessageSizeBytes),
      SqsManagedSseEnabled: 'true',
    });
    expect(JSON.parse(main.RedrivePolicy!)).toEqual({ deadLetterTargetArn: queue.deadLetterQueueArn, maxReceiveCount: spec.maxReceiveCount });

    const dlq = await attributesOf(queue.deadLetterQueueUrl);
    expect(dlq.QueueArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${spec.deadLetterQueueName}`);
    expect(dlq.MessageRetentionPeriod).toBe(String(spec.deadLetterRetentionSeconds));
    expect(JSON.parse(dlq.RedriveAllowPolicy!)).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [queue.queueArn] });
    expect(dlq.RedrivePolicy).toBeUndefined();
  }
  // The seed values of DESIGN §1, read back from the server.
  const [order, inventory, notification] = await Promise.all(queues.map((queue) => attributesOf(queue.queueUrl)));
  expect([order!.VisibilityTimeout, inventory!.VisibilityTimeout, notification!.VisibilityTimeout]).toEqual(['60', '30', '30']);
  expect([order!.RedrivePolicy, inventory!.RedrivePolicy, notification!.RedrivePolicy].map((policy) => JSON.parse(policy!).maxReceiveCount)).toEqual([3, 3, 5]);
});

test('provisioning is idempotent: a second run changes nothing but drifted attributes, and keeps messages', async () => {
  const first = await provision();
  await server!.client.send(new SendMessageCommand({ QueueUrl: first[0]!.queueUrl, MessageBody: 'kept' }));
  // A shortened local run (--fast) then a normal one: the second brings visibility back.
  await provision(withScaledTimings(development).graph);
  expect((await attributesOf(first[0]!.queueUrl)).VisibilityTimeout).toBe('6');
  const second = await provision();

  expect(second).toEqual(first);
  expect((await attributesOf(first[0]!.queueUrl)).VisibilityTimeout).toBe('60');
  expect((await attributesOf(first[0]!.queueUrl)).ApproximateNumberOfMessages).toBe('1');
  const listed = await server!.client.send(new ListQueuesCommand({ QueueNamePrefix: 'development-' }));
  const names = (listed.QueueUrls ?? []).map((url) => url.slice(url.lastIndexOf('/') + 1));
  expect(names.sort()).toEqual(first.flatMap((queue) => [queue.spec.queueName, queue.spec.deadLetterQueueName]).sort());
});

test('FIFO pairs get the FIFO attributes on both queues', async () => {
  const definition = { name: 'payments', fifo: true, highThroughputFifo: true, contentBasedDeduplication: true };
  const [queue] = await provision(graphOf(definition));
  for (const url of [queue!.queueUrl, queue!.deadLetterQueueUrl]) {
    expect(await attributesOf(url)).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
  }
  expect(queue!.queueUrl.endsWith('/development-payments-queue.fifo')).toBe(true);
});

test('the outputs file has the deployed output names per queue, plus the endpoint', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'local-outputs-'));
  try {
    const file = path.join(folder, 'nested', 'outputs.json');
    const provisioned = await provisionGraph(server!.client, development, { endpoint: server!.sqs.endpoint, region: server!.sqs.region });
    provisioned.references.set('OrderServiceFunctionUrl', { functionUrl: 'http://127.0.0.1:1/' });
    writeOutputsFile(file, localOutputs(development, provisioned.references, server!.sqs));
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    expect(Object.keys(written)).toEqual(['development']);
    const values = written.development!;
    for (const name of ['order', 'inventory', 'notification']) {
      for (const what of ['queue_url', 'queue_arn', 'dlq_url', 'dlq_arn']) expect(values[`${name}_${what}`]).toEqual(expect.any(String));
    }
    expect(values.order_queue_url).toBe(`${server!.sqs.endpoint}/000000000000/development-order-queue`);
    expect(values.order_dlq_arn).toBe('arn:aws:sqs:us-east-1:000000000000:development-order-dlq');
    expect(values.sqs_endpoint).toBe(server!.sqs.endpoint);
    // An app using only the outputs file can reach the queue.
    const app = createLocalSqsClient(values.sqs_endpoint!, values.region!);
    try {
      const attributes = await app.send(new GetQueueAttributesCommand({ QueueUrl: values.order_queue_url, AttributeNames: ['QueueArn'] }));
      expect(attributes.Attributes?.QueueArn).toBe(values.order_queue_arn);
    } finally {
      app.destroy();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('with a data folder, queues and messages survive a server restart', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'local-sqs-data-'));
  try {
    const graph = graphOf({ name: 'durable', visibilityTimeoutSeconds: 45 });
    for (const round of [1, 2]) {
      const sqs = await startLocalSqs({ dataDir: folder });
      const client = createLocalSqsClient(sqs.endpoint, sqs.region);
      try {
        const [queue] = (await provisionGraph(client, graph, { endpoint: sqs.endpoint, region: sqs.region })).queues;
        if (round === 1) await client.send(new SendMessageCommand({ QueueUrl: queue!.queueUrl, MessageBody: 'survives' }));
        const attributes = (await client.send(new GetQueueAttributesCommand({ QueueUrl: queue!.queueUrl, AttributeNames: ['All'] }))).Attributes!;
        expect(attributes.VisibilityTimeout).toBe('45');
        expect(attributes.ApproximateNumberOfMessages).toBe('1');
        // The server answers URLs on its own (new) port, never sqs.<region>.localhost (see local/fauxqs-extensions/queue-urls-fix.ts).
        expect((await client.send(new GetQueueUrlCommand({ QueueName: queue!.spec.queueName }))).QueueUrl).toBe(`${sqs.endpoint}/000000000000/${queue!.spec.queueName}`);
      } finally {
        client.destroy();
        await sqs.stop();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
