/**
 * The whole development pipeline through the public API (startLocalEnvironment) with the bundled
 * Lambdas, once with the server in memory and once with a data directory: orders posted to
 * order-service's local function URL travel order → inventory → notification queues, each processed
 * (deleted) once by every service, with the correlation id intact end to end. Every path local mode uses
 * (provisioning, the mappings, peek, the progress counters) runs in both storage modes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { demoOrder, sendDemoOrders } from '../../demo/traffic';
import type { InvocationReport } from '../../local/event-source-mapping';
import { startLocalEnvironment, type LocalEnvironment } from '../../local/local-environment';
import { peekMessages } from '../../local/peek';
import { isSettled, readProgress } from '../../local/progress';
import { waitFor } from './support';

const ORDERS = 40;
/** The reference topology, except that a failing order is dead-lettered on its first retry (the DLQ test waits 1 × visibility, not 3 ×). */
const pipelineTopology = { ...topology, queues: topology.queues.map((queue) => (queue.name === 'order' ? { ...queue, maxReceiveCount: 1 } : queue)) };

describe.each([
  ['in memory', false],
  ['with a data directory', true],
])('pipeline %s', (_mode, persisted) => {
  let local: LocalEnvironment | undefined;
  let dataDir: string | undefined;
  const reports: InvocationReport[] = [];
  const logs: { functionName: string; line: string }[] = [];

  beforeAll(async () => {
    dataDir = persisted ? mkdtempSync(path.join(os.tmpdir(), 'pipeline-data-')) : undefined;
    local = await startLocalEnvironment({
      topology: pipelineTopology,
      environments,
      // Short timeouts only so that stopping is quick; nothing in this test waits for a visibility timeout.
      fast: true,
      ...(dataDir ? { dataDir } : {}),
      waitTimeSeconds: 2,
      onInvocation: (report) => reports.push(report),
      onLogLine: (functionName, line) => logs.push({ functionName, line }),
    });
  }, 60_000);

  afterAll(async () => {
    await local?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test(`${ORDERS} orders: every order processed once by each service, correlation id intact end to end`, async () => {
    const results = await sendDemoOrders(local!.functionUrls['order-service']!, { count: ORDERS, ratePerSecond: 0, runId: 'e2e' });
    expect(results.map((result) => result.status)).toEqual(results.map(() => 202));

    const notification = 'development-notification-service';
    const processedAtEnd = () => reports.filter((report) => report.functionName === notification).flatMap((report) => report.deleted).length;
    await waitFor(`${ORDERS} orders at ${notification}`, () => processedAtEnd() >= ORDERS, 30_000);
    // A batch that timed out comes back after its visibility timeout (6 s here): room for that.
    await waitFor('all queues empty', async () => isSettled(await readProgress(local!.pipeline)), 30_000);

    const expected = new Map(results.map((result) => [result.correlationId, result.orderId]));
    const hopQueue: Record<string, string> = { 'inventory-service': 'order', 'shipping-service': 'inventory', 'notification-service': 'notification' };
    const messagesPerQueue = new Map<string, number>();
    for (const service of ['inventory-service', 'shipping-service', 'notification-service']) {
      const functionName = `development-${service}`;
      const invocations = reports.filter((report) => report.functionName === functionName);
      const delivered = invocations.flatMap((report) => report.records);
      const messageIds = new Set(delivered.map((record) => record.messageId));
      // Every message processed (deleted) exactly once; any other delivery of it followed an
      // invocation that failed as a whole (a function timeout on a starved machine: SQS delivers
      // again, as in AWS), never a success.
      expect(invocations.flatMap((report) => report.deleted).toSorted()).toEqual([...messageIds].toSorted());
      const failedDeliveries = invocations.filter((report) => report.outcome?.ok === false).flatMap((report) => report.records);
      expect(delivered.length - failedDeliveries.length).toBe(messageIds.size);
      // One event per order: a message beyond that is the upstream service publishing the same
      // event again after such a failure (same event id), which the idempotent consumer absorbs.
      expect(new Set(delivered.map((record) => (JSON.parse(record.body) as { eventId: string }).eventId)).size).toBe(ORDERS);
      messagesPerQueue.set(hopQueue[service]!, messageIds.size);
      const seen = new Map(
        delivered.map((record) => [record.messageAttributes.correlationId?.stringValue, (JSON.parse(record.body) as { data: { orderId: string } }).data.orderId]),
      );
      expect(seen).toEqual(expected);
    }

    // The handler's own log line at the end of the chain carries both ids too.
    const sent = logs
      .filter((entry) => entry.functionName === notification && entry.line.includes('notification sent'))
      .map((entry) => JSON.parse(entry.line) as { orderId: string; correlationId: string });
    expect(new Map(sent.map((line) => [line.correlationId, line.orderId]))).toEqual(expected);
    expect(sent).toHaveLength(ORDERS);

    const progress = await readProgress(local!.pipeline);
    expect(progress.map(({ queue, received, processed, deadLettered, waiting, inFlight }) => ({ queue, received, processed, deadLettered, waiting, inFlight }))).toEqual(
      ['order', 'inventory', 'notification'].map((queue) => {
        const messages = messagesPerQueue.get(queue)!;
        return { queue, received: messages, processed: messages, deadLettered: 0, waiting: 0, inFlight: 0 };
      }),
    );
  }, 60_000);

  // With a data directory only: in memory the same path runs in start-cli.test.ts (--once), and each
  // run waits maxReceiveCount × visibility.
  (persisted ? test : test.skip)('a malformed message reaches the DLQ, and peeking at the DLQ leaves it there', async () => {
    const order = local!.queues.order!;
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await local!.client.send(new SendMessageCommand({ QueueUrl: order.queueUrl, MessageBody: '{"not":"an order"}', MessageAttributes: { correlationId: { DataType: 'String', StringValue: `bad-${persisted}` } } }));
    const inDlq = async () => (await peekMessages(local!.client, order.deadLetterQueueUrl)).filter((message) => message.MessageAttributes?.correlationId?.StringValue === `bad-${persisted}`);
    // maxReceiveCount 1 × visibility 6 s (fast), plus the receive that moves it.
    await waitFor('the malformed message in the order DLQ', async () => (await inDlq()).length === 1, 30_000);
    // Peek made it visible again (ChangeMessageVisibility 0: the call that crashed persisted runs).
    expect(await inDlq()).toHaveLength(1);
    const row = (await readProgress(local!.pipeline)).find((candidate) => candidate.queue === 'order')!;
    expect(row.deadLettered).toBe(1);
  }, 60_000);

  test('order-service rejects an invalid order with 400 and publishes nothing', async () => {
    const before = reports.length;
    const { items: _items, ...withoutItems } = demoOrder('e2e-bad', 1);
    const response = await fetch(local!.functionUrls['order-service']!, { method: 'POST', headers: { 'x-correlation-id': 'bad-1' }, body: JSON.stringify(withoutItems) });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-correlation-id')).toBe('bad-1');
    expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'items' })] });
    expect((await readProgress(local!.pipeline)).every((row) => row.waiting === 0 && row.inFlight === 0)).toBe(true);
    expect(reports.length).toBe(before);
  });
});
