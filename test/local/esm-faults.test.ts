/**
 * Faults and the "nothing lost" guarantees of the local event source mapping: an execution
 * environment killed mid-batch, a graceful stop with a batch in flight, and random handler failures
 * over 2,000 messages.
 */
import { peekMessages } from '../../local/peek';
import { provisionTestQueue, queueDepth, sendBodies, useMappingTestServer, waitFor } from './support';

const { server: testServer, tracker } = useMappingTestServer();

test('a consumer killed mid-batch (SIGTERM) loses nothing: the batch returns after the visibility timeout', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 2, maxReceiveCount: 5 });
  // Record 5 of 10 hangs on its first delivery, so the kill lands after records 0–4 were handled.
  const bodies = Array.from({ length: 10 }, (_, i) => JSON.stringify(i === 5 ? { seq: i, sleepMs: 30_000, sleepOnReceive: 1 } : { seq: i }));
  const ids = await sendBodies(testServer().client, queue.queueUrl, bodies);
  const mapping = tracker.start(testServer(), queue, { batchSize: 10, maximumBatchingWindowSeconds: 1, timeoutMs: 10_000 });

  await waitFor('records 0–4 handled in the first batch', () => tracker.logLines.filter((line) => line.includes('record handled')).length === 5, 10_000);
  const [pid] = mapping.pids;
  process.kill(pid!, 'SIGTERM');

  await waitFor('every message processed', () => tracker.deleted().size === ids.length, 15_000);
  const [killed, ...rest] = tracker.reports;
  expect(killed!.settlement).toMatchObject({ kind: 'batch-failed', failed: ids });
  expect(killed!.settlement.kind === 'batch-failed' && killed!.settlement.reason).toMatch(/crashed/);
  expect(killed!.deleted).toEqual([]);
  // Redelivered after the visibility timeout to a fresh execution environment, and processed once.
  expect(rest.flatMap((report) => report.records.map((record) => record.attributes.ApproximateReceiveCount))).toEqual(ids.map(() => '2'));
  expect(rest.flatMap((report) => report.deleted).sort()).toEqual([...ids].sort());
  expect(mapping.pids[0]).not.toBe(pid);
  expect(await queueDepth(testServer().client, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
});

test('graceful stop: the batch in flight finishes and is deleted, nothing else is received', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 30 });
  const ids = await sendBodies(testServer().client, queue.queueUrl, [JSON.stringify({ seq: 0, sleepMs: 800 })]);
  const mapping = tracker.start(testServer(), queue);
  await waitFor('the batch in flight', () => mapping.stats().inFlight === 1, 10_000);
  const later = await sendBodies(testServer().client, queue.queueUrl, Array.from({ length: 5 }, (_, i) => JSON.stringify({ seq: i + 1 })));

  await mapping.stop(10_000);
  expect(tracker.reports).toHaveLength(1);
  expect(tracker.reports[0]!.deleted).toEqual(ids);
  expect(mapping.pids).toEqual([]);
  // The messages sent during the batch were never received: visible right away, nothing hidden.
  expect(await queueDepth(testServer().client, queue.queueUrl)).toEqual({ visible: later.length, inFlight: 0 });
});

test('20 % random failures over 2,000 messages: processed ∪ dead-lettered = sent, each exactly once', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 1, maxReceiveCount: 3 });
  const sent = await sendBodies(testServer().client, queue.queueUrl, Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ seq: i, failRate: 0.2 })));
  tracker.start(testServer(), queue, { concurrency: 4, batchSize: 10 });

  await waitFor(
    'every message processed or dead-lettered',
    async () => {
      const main = await queueDepth(testServer().client, queue.queueUrl);
      if (main.visible + main.inFlight > 0) return false;
      return tracker.deleted().size + (await queueDepth(testServer().client, queue.deadLetterQueueUrl)).visible === sent.length;
    },
    60_000,
  );
  await tracker.stopAll();
  const deadLettered = (await peekMessages(testServer().client, queue.deadLetterQueueUrl)).map((message) => message.MessageId!);
  const processed = [...tracker.deleted()];

  expect(new Set([...processed, ...deadLettered])).toEqual(new Set(sent));
  expect(processed.length + deadLettered.length).toBe(sent.length); // disjoint: none both processed and dead-lettered
  // Each dead-lettered message failed on every one of its 3 deliveries (0.2³ ≈ 0.8 % expected).
  const deliveries = tracker.deliveries();
  for (const id of deadLettered) expect(deliveries.get(id)).toBe(3);
  expect(deadLettered.length).toBeLessThan(60);
  // Failures really happened and were retried.
  expect(processed.filter((id) => deliveries.get(id)! > 1).length).toBeGreaterThan(200);
}, 90_000);
