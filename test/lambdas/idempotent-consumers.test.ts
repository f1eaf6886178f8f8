/**
 * Exactly-once effects on at-least-once delivery: the BUNDLED consumers in local Lambda execution
 * environments, against the embedded SQS server and the embedded DynamoDB server holding the
 * idempotency table (through a proxy that can hold DynamoDB answers back, to make an attempt hang).
 * Effects are counted from the functions' own log lines ("notification sent", "handled …").
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse } from 'aws-lambda';
import { InventoryReservedSchema } from '../../lambdas/shared/order-events';
import { IDEMPOTENCY_TABLE_ATTRIBUTES } from '../../model/idempotency-contract';
import { EventSourceMapping, type InvocationReport } from '../../local/event-source-mapping';
import type { ProvisionedQueue } from '../../local/provision';
import { localQueueArn } from '../../local/sqs-client';
import { bundleService, LambdaHarness, type HarnessIdempotency, type HarnessOptions } from '../support/lambda-harness';
import { useLambdaTestEnvironment } from '../support/lambda-test-environment';
import { orderCreatedBody, shipmentScheduledBody } from '../support/order-fixtures';
import { sqsTestEvent } from '../support/sqs-test-events';
import { createTestQueue, receiveMessages } from '../support/sqs-test-queues';
import { provisionTestQueue, queueDepth, sendBodies, waitFor } from '../local/support';
import path from 'node:path';

const env = useLambdaTestEnvironment({ dynamoDb: true });
const testServer = () => ({ sqs: env.sqs, client: env.client });

const NOTIFICATION_QUEUE_ARN = localQueueArn('us-east-1', 'development-notification-queue');
const ORDER_QUEUE_ARN = localQueueArn('us-east-1', 'development-order-queue');
const FAILS_FIRST_DELIVERY = path.join(__dirname, 'fixtures', 'fails-first-delivery', 'handler.ts');

const mappings: EventSourceMapping[] = [];
afterEach(async () => {
  await Promise.all(mappings.splice(0).map((mapping) => mapping.stop(5_000)));
});

function service(options: Omit<HarnessOptions, 'endpoint' | 'region'>): LambdaHarness {
  return env.track(new LambdaHarness({ endpoint: env.sqs.endpoint, region: env.sqs.region, ...options })) as LambdaHarness;
}

/** "notification sent" lines per orderId, read from notification-service's own logs. */
function notificationsSent(...services: LambdaHarness[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of services.flatMap((harness) => harness.logsStartingWith('notification sent'))) {
    const orderId = String(line.orderId);
    counts[orderId] = (counts[orderId] ?? 0) + 1;
  }
  return counts;
}

/** A local event source mapping over `queue`, one poller per function; stopped after the test. */
function startMapping(queue: ProvisionedQueue, functions: readonly LambdaHarness[], maximumBatchingWindowSeconds = 0) {
  const reports: InvocationReport[] = [];
  const mapping = new EventSourceMapping({
    functionName: 'development-notification-service',
    client: env.client,
    queueUrl: queue.queueUrl,
    queueArn: queue.queueArn,
    region: env.sqs.region,
    batchSize: 10,
    maximumBatchingWindowSeconds,
    concurrency: functions.length,
    waitTimeSeconds: 1,
    createFunction: (index) => functions[index]!.process,
    onInvocation: (report) => reports.push(report),
  });
  mappings.push(mapping);
  mapping.start();
  return { mapping, reports, deleted: () => reports.flatMap((report) => report.deleted) };
}

/** Every item of the table, unmarshalled. */
async function itemsOf(idempotency: HarnessIdempotency): Promise<Record<string, unknown>[]> {
  const documents = DynamoDBDocumentClient.from(env.dynamoDbClient);
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: idempotency.tableName }));
  return Items;
}

test('the same ShipmentScheduled sent three times (same eventId, new message ids): one notification, each message deleted', async () => {
  const idempotency = await env.idempotencyTable();
  const queue = await provisionTestQueue(testServer(), { name: 'notification', visibilityTimeoutSeconds: 5, maxReceiveCount: 5 });
  const notifier = service({ service: 'notification-service', idempotency });
  const { reports, deleted } = startMapping(queue, [notifier]);

  const body = shipmentScheduledBody('thrice-1');
  const sent: string[] = [];
  for (let copy = 1; copy <= 3; copy++) {
    const [messageId] = await sendBodies(env.client, queue.queueUrl, [body], () => ({ correlationId: `corr-copy-${copy}` }));
    sent.push(messageId!);
    await waitFor(`copy ${copy} processed and deleted`, () => deleted().includes(messageId!), 10_000);
  }

  expect(new Set(sent).size).toBe(3);
  expect(notificationsSent(notifier)).toEqual({ 'thrice-1': 1 });
  expect(notifier.logsStartingWith('ShipmentScheduled already handled').map((line) => line.messageId)).toEqual(sent.slice(1));
  // Per message: delivered once, deleted once; nothing queued or dead-lettered.
  expect(reports.flatMap((report) => report.records.map((record) => record.messageId))).toEqual(sent);
  expect(deleted()).toEqual(sent);
  expect(await queueDepth(env.client, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  expect(await queueDepth(env.client, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  const [record] = await itemsOf(idempotency);
  expect(record).toMatchObject({ status: 'COMPLETED' });
  expect(String(record![IDEMPOTENCY_TABLE_ATTRIBUTES.partitionKey])).toMatch(/^development-notification-service#/);
});

test('the same OrderCreated three times: reserved once; the stored InventoryReserved is what each copy publishes', async () => {
  const idempotency = await env.idempotencyTable();
  const output = await createTestQueue(env.client, env.sqs, 'inventory');
  const inventory = service({ service: 'inventory-service', idempotency, queueUrls: { INVENTORY_QUEUE_URL: output.url } });
  const body = orderCreatedBody('thrice-2');

  for (let copy = 1; copy <= 3; copy++) {
    const response = await inventory.invokeOk<SQSBatchResponse>(sqsTestEvent(ORDER_QUEUE_ARN, [{ body, correlationId: `corr-${copy}` }]));
    expect(response.batchItemFailures).toEqual([]);
  }

  expect(inventory.logsStartingWith('handled OrderCreated')).toHaveLength(1);
  expect(inventory.logsStartingWith('OrderCreated already handled; publishing its stored InventoryReserved again')).toHaveLength(2);
  const published = (await receiveMessages(env.client, output.url, 3)).map((message) => InventoryReservedSchema.parse(JSON.parse(message.Body!)));
  expect(published).toHaveLength(3);
  expect(published[1]).toEqual(published[0]);
  expect(published[2]).toEqual(published[0]);
  const [record] = await itemsOf(idempotency);
  expect(record).toMatchObject({ status: 'COMPLETED', data: published[0] });
});

test('a handler that fails is not remembered: the redelivery runs it, a later duplicate does not', async () => {
  const idempotency = await env.idempotencyTable();
  const output = await createTestQueue(env.client, env.sqs, 'inventory');
  const flaky = service({ service: 'inventory-service', entry: FAILS_FIRST_DELIVERY, idempotency, queueUrls: { INVENTORY_QUEUE_URL: output.url } });
  const body = orderCreatedBody('flaky-1');
  const messageId = randomUUID();

  const first = await flaky.invokeOk<SQSBatchResponse>(sqsTestEvent(ORDER_QUEUE_ARN, [{ body, messageId, receiveCount: 1 }]));
  expect(first.batchItemFailures).toEqual([{ itemIdentifier: messageId }]);
  expect(flaky.logsStartingWith('record processing failed')[0]).toMatchObject({ messageId, error: { message: 'injected failure on the first delivery' } });
  expect(await itemsOf(idempotency)).toEqual([]); // the in-progress lock was deleted, nothing stored

  const redelivery = await flaky.invokeOk<SQSBatchResponse>(sqsTestEvent(ORDER_QUEUE_ARN, [{ body, messageId, receiveCount: 2 }]));
  expect(redelivery.batchItemFailures).toEqual([]);
  expect(flaky.logsStartingWith('handled OrderCreated').map((line) => line.messageId)).toEqual([messageId]);

  // A new message with the same event on its first delivery: not run again (it would have thrown).
  const duplicate = await flaky.invokeOk<SQSBatchResponse>(sqsTestEvent(ORDER_QUEUE_ARN, [{ body, receiveCount: 1 }]));
  expect(duplicate.batchItemFailures).toEqual([]);
  expect(flaky.logsStartingWith('OrderCreated already handled')).toHaveLength(1);
  expect(await receiveMessages(env.client, output.url, 2)).toHaveLength(2);
});

test('a record whose first attempt timed out is handled after its in-progress lock expired, not before (standard and FIFO)', async () => {
  const idempotency = await env.idempotencyTable();
  // The lock lasts until the first attempt's deadline: a short function timeout keeps the test short.
  const slow = service({ service: 'notification-service', idempotency, timeoutMs: 3_000 });
  const other = service({ service: 'notification-service', idempotency });
  await other.invokeOk(sqsTestEvent(NOTIFICATION_QUEUE_ARN, [{ body: shipmentScheduledBody('warm-up') }]));
  const body = shipmentScheduledBody('slow-1');
  const original = sqsTestEvent(NOTIFICATION_QUEUE_ARN, [{ body, correlationId: 'corr-original' }]);
  const duplicate = sqsTestEvent(NOTIFICATION_QUEUE_ARN, [{ body, correlationId: 'corr-duplicate' }]);
  const duplicateId = duplicate.Records[0]!.messageId;

  // The first attempt takes the lock, then hangs: its PutItem lands but the answer never comes back.
  env.dynamoDbProxy.setHold((operation) => operation === 'PutItem');
  const firstAttempt = slow.invoke(original);
  await waitFor('the first attempt holding the lock', () => env.dynamoDbProxy.calls.some((call) => call.operation === 'PutItem' && call.held && call.landed), 10_000);
  env.dynamoDbProxy.setHold(undefined);
  const locks = (await itemsOf(idempotency)).filter((item) => item.status === 'INPROGRESS');
  expect(locks).toHaveLength(1);
  const lockExpiresAt = Number(locks[0]![IDEMPOTENCY_TABLE_ATTRIBUTES.inProgressExpiry]);

  // Before the lock expires: the duplicate is reported failed (SQS retries it), nothing is sent.
  const beforeExpiry = await other.invokeOk<SQSBatchResponse>(duplicate);
  if (Date.now() >= lockExpiresAt) throw new Error('precondition: the duplicate ran after the lock had expired (machine too slow for a 3 s timeout)');
  expect(beforeExpiry.batchItemFailures).toEqual([{ itemIdentifier: duplicateId }]);
  expect(other.logsStartingWith('ShipmentScheduled is being handled by another attempt')[0]).toMatchObject({ messageId: duplicateId, level: 'WARN' });
  // From a FIFO queue, the rest of that message group fails with it (kept in order); other groups go on.
  const fifo = sqsTestEvent(localQueueArn('us-east-1', 'development-notification-queue.fifo'), [
    { body, messageGroupId: 'slow-1' },
    { body: shipmentScheduledBody('slow-1-later'), messageGroupId: 'slow-1' },
    { body: shipmentScheduledBody('other-group'), messageGroupId: 'other-group' },
  ]);
  const fifoBeforeExpiry = await other.invokeOk<SQSBatchResponse>(fifo);
  if (Date.now() >= lockExpiresAt) throw new Error('precondition: the FIFO duplicate ran after the lock had expired (machine too slow for a 3 s timeout)');
  expect(fifoBeforeExpiry.batchItemFailures).toEqual(fifo.Records.slice(0, 2).map((record) => ({ itemIdentifier: record.messageId })));
  expect(notificationsSent(slow, other)).toEqual({ 'warm-up': 1, 'other-group': 1 });

  const timedOut = await firstAttempt;
  expect(timedOut).toMatchObject({ ok: false, timedOut: true });
  await waitFor('the lock to expire', () => Date.now() > lockExpiresAt, 5_000);

  // After it: the duplicate's redelivery is handled, and the original's redelivery is a replay.
  const afterExpiry = await other.invokeOk<SQSBatchResponse>(sqsTestEvent(NOTIFICATION_QUEUE_ARN, [{ body, messageId: duplicateId, receiveCount: 2 }]));
  expect(afterExpiry.batchItemFailures).toEqual([]);
  const originalAgain = await other.invokeOk<SQSBatchResponse>(
    sqsTestEvent(NOTIFICATION_QUEUE_ARN, [{ body, messageId: original.Records[0]!.messageId, receiveCount: 2 }]),
  );
  expect(originalAgain.batchItemFailures).toEqual([]);
  expect(notificationsSent(slow, other)).toEqual({ 'warm-up': 1, 'other-group': 1, 'slow-1': 1 });
  expect(other.logsStartingWith('notification sent').find((line) => line.orderId === 'slow-1')).toMatchObject({ messageId: duplicateId });
});

test('an execution environment killed mid-batch, then every message delivered again: each notification sent exactly once', async () => {
  const idempotency = await env.idempotencyTable();
  // Visibility (3 s) longer than the function timeout (2 s), hence than any in-progress lock.
  const queue = await provisionTestQueue(testServer(), { name: 'notification', visibilityTimeoutSeconds: 3, maxReceiveCount: 5 });
  const notifier = service({ service: 'notification-service', idempotency, timeoutMs: 2_000 });
  const orders = Array.from({ length: 10 }, (_, index) => `killed-${index}`);
  const bodies = orders.map((orderId) => shipmentScheduledBody(orderId));

  // Records 7–10 of the first batch take their lock and hang; the environment is killed once the others are done.
  env.dynamoDbProxy.setHold((operation, index) => operation === 'PutItem' && index > 6);
  const originals = await sendBodies(env.client, queue.queueUrl, bodies, (index) => ({ correlationId: `corr-${index}` }));
  const { reports, deleted } = startMapping(queue, [notifier], 1);
  await waitFor('6 records of the first batch handled', () => notifier.logsStartingWith('handled ShipmentScheduled').length === 6, 15_000);
  process.kill(notifier.process.pid!, 'SIGKILL');
  env.dynamoDbProxy.setHold(undefined);
  const sentBeforeKill = Object.keys(notificationsSent(notifier));
  // A forced duplicate delivery: every event again, as new messages (a producer retry, a redrive).
  const duplicates = await sendBodies(env.client, queue.queueUrl, bodies, (index) => ({ correlationId: `corr-dup-${index}` }));

  const all = [...originals, ...duplicates];
  await waitFor('every message processed', () => all.every((id) => deleted().includes(id)), 30_000);

  expect(reports[0]!.settlement.kind === 'batch-failed' && reports[0]!.settlement.reason).toMatch(/crashed/);
  expect(reports[0]!.records).toHaveLength(10);
  expect(sentBeforeKill).toHaveLength(6);
  expect(notificationsSent(notifier)).toEqual(Object.fromEntries(orders.map((orderId) => [orderId, 1])));
  // Per message: deleted exactly once; nothing queued, nothing dead-lettered.
  expect([...deleted()].sort()).toEqual([...all].sort());
  expect(await queueDepth(env.client, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  expect(await queueDepth(env.client, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  expect((await itemsOf(idempotency)).map((item) => item.status)).toEqual(orders.map(() => 'COMPLETED'));
}, 60_000);

test('the init fails naming the variable, the value and the fix when the expiry is not whole seconds; the switch turns it all off', () => {
  const load = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(bundleService('notification-service').file)});`], {
      env: { PATH: process.env.PATH, ENVIRONMENT: 'development', POWERTOOLS_SERVICE_NAME: 'notification-service', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });

  const invalid = load({ IDEMPOTENCY_TABLE_NAME: 'development-idempotency', IDEMPOTENCY_EXPIRY_SECONDS: '4 days' });
  expect(invalid.status).not.toBe(0);
  expect(invalid.stderr).toContain(
    'environment variable IDEMPOTENCY_EXPIRY_SECONDS must be a whole number of seconds of at least 1, but "4 days" was provided; set it longer than the input queue\'s retention',
  );
  expect(load({ IDEMPOTENCY_EXPIRY_SECONDS: '60' }).stderr).toContain('environment variable IDEMPOTENCY_TABLE_NAME is not set');

  const disabled = load({ POWERTOOLS_IDEMPOTENCY_DISABLED: 'true' });
  expect(disabled.status).toBe(0);
  expect(JSON.parse(disabled.stderr.trim())).toMatchObject({ level: 'WARN', message: 'idempotency is off (POWERTOOLS_IDEMPOTENCY_DISABLED): a repeated delivery is handled again' });
});
