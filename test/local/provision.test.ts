/**
 * Local provisioning from the resolved development spec: names, attributes, redrive and
 * redrive-allow as deployed, idempotent re-runs, and the outputs file in the deployed shape.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { resolveEnvironment, resolveQueueSpec } from '../../constructs/spec';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { localOutputs, writeOutputsFile } from '../../local/outputs';
import { provisionQueues } from '../../local/provision';
import { createLocalSqsClient } from '../../local/sqs-client';
import { startLocalSqs } from '../../local/sqs-server';
import { startTestServer, stopTestServer, type TestServer } from './support';

const development = resolveEnvironment(topology, environments, 'development');
let server: TestServer | undefined;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await stopTestServer(server);
});

async function attributesOf(url: string): Promise<Record<string, string>> {
  const response = await server!.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  return response.Attributes ?? {};
}

test('every development queue and DLQ is created with the spec\'s names, attributes and redrive', async () => {
  const queues = await provisionQueues(server!.client, development.queues, { endpoint: server!.sqs.endpoint });
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
  const first = await provisionQueues(server!.client, development.queues, { endpoint: server!.sqs.endpoint });
  await server!.client.send(new SendMessageCommand({ QueueUrl: first[0]!.queueUrl, MessageBody: 'kept' }));
  // A shortened local run (--fast) then a normal one: the second brings visibility back.
  const shortened = development.queues.map((queue) => ({ ...queue, visibilityTimeoutSeconds: 6 }));
  await provisionQueues(server!.client, shortened, { endpoint: server!.sqs.endpoint });
  expect((await attributesOf(first[0]!.queueUrl)).VisibilityTimeout).toBe('6');
  const second = await provisionQueues(server!.client, development.queues, { endpoint: server!.sqs.endpoint });

  expect(second).toEqual(first);
  expect((await attributesOf(first[0]!.queueUrl)).VisibilityTimeout).toBe('60');
  expect((await attributesOf(first[0]!.queueUrl)).ApproximateNumberOfMessages).toBe('1');
  const listed = await server!.client.send(new ListQueuesCommand({ QueueNamePrefix: 'development-' }));
  const names = (listed.QueueUrls ?? []).map((url) => url.slice(url.lastIndexOf('/') + 1));
  expect(names.sort()).toEqual(first.flatMap((queue) => [queue.spec.queueName, queue.spec.deadLetterQueueName]).sort());
});

test('FIFO pairs get the FIFO attributes on both queues', async () => {
  const spec = resolveQueueSpec('development', { name: 'payments', fifo: true, highThroughputFifo: true, contentBasedDeduplication: true });
  const [queue] = await provisionQueues(server!.client, [spec], { endpoint: server!.sqs.endpoint });
  for (const url of [queue!.queueUrl, queue!.deadLetterQueueUrl]) {
    expect(await attributesOf(url)).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
  }
  expect(queue!.queueUrl.endsWith('/development-payments-queue.fifo')).toBe(true);
  // The same name as a standard queue is a clear error, not a silent mismatch.
  await expect(provisionQueues(server!.client, [{ ...spec, fifo: false, fifoSettings: undefined }], { endpoint: server!.sqs.endpoint })).rejects.toThrow(
    /already exists on the local server as a FIFO queue, but the spec wants a standard queue/,
  );
});

test('the outputs file has the deployed output names per queue, plus the endpoint', async () => {
  const queues = await provisionQueues(server!.client, development.queues, { endpoint: server!.sqs.endpoint });
  const folder = mkdtempSync(path.join(os.tmpdir(), 'local-outputs-'));
  try {
    const file = path.join(folder, 'nested', 'outputs.json');
    writeOutputsFile(file, localOutputs({ environment: development, queues, server: server!.sqs }));
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
    const spec = resolveQueueSpec('development', { name: 'durable', visibilityTimeoutSeconds: 45 });
    for (const round of [1, 2]) {
      const sqs = await startLocalSqs({ dataDir: folder });
      const client = createLocalSqsClient(sqs.endpoint, sqs.region);
      try {
        const [queue] = await provisionQueues(client, [spec], { endpoint: sqs.endpoint });
        if (round === 1) await client.send(new SendMessageCommand({ QueueUrl: queue!.queueUrl, MessageBody: 'survives' }));
        const attributes = (await client.send(new GetQueueAttributesCommand({ QueueUrl: queue!.queueUrl, AttributeNames: ['All'] }))).Attributes!;
        expect(attributes.VisibilityTimeout).toBe('45');
        expect(attributes.ApproximateNumberOfMessages).toBe('1');
        // The server answers URLs on its own (new) port, never sqs.<region>.localhost (see local/fauxqs-fixes.mjs).
        expect((await client.send(new GetQueueUrlCommand({ QueueName: spec.queueName }))).QueueUrl).toBe(`${sqs.endpoint}/000000000000/${spec.queueName}`);
      } finally {
        client.destroy();
        await sqs.stop();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
