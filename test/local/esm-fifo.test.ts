/** FIFO queues through the local event source mapping: per-group order survives failures. */
import { provisionTestQueue, queueDepth, sendBodies, useMappingTestServer, waitFor } from './support';

const { server: testServer, tracker } = useMappingTestServer();

test('FIFO: each group is processed in send order despite item failures, thrown batches and injected failures', async () => {
  const queue = await provisionTestQueue(testServer(), { name: 'fifo', fifo: true, contentBasedDeduplication: true, visibilityTimeoutSeconds: 1, maxReceiveCount: 10 });
  const groups = ['g-a', 'g-b', 'g-c', 'g-d'];
  const perGroup = 10;
  const bodies: string[] = [];
  const groupOf: string[] = [];
  for (let seq = 0; seq < perGroup; seq++) {
    for (const group of groups) {
      // Every 4th message fails its first delivery; every 7th throws on its first delivery, which
      // fails its whole batch (messages of other groups included).
      const script = seq % 7 === 3 ? { throwUntilReceive: 2 } : seq % 4 === 1 ? { failUntilReceive: 2 } : {};
      bodies.push(JSON.stringify({ group, seq, ...script }));
      groupOf.push(group);
    }
  }
  const ids = await sendBodies(testServer().client, queue.queueUrl, bodies, (i) => ({ MessageGroupId: groupOf[i]! }));
  const seqOf = new Map(ids.map((id, i) => [id, JSON.parse(bodies[i]!) as { group: string; seq: number }]));

  tracker.start(testServer(), queue, { concurrency: 3, batchSize: 10, failureInjection: { rate: 0.1 } });
  await waitFor('every message processed', () => tracker.deleted().size === ids.length, 45_000);

  // Successful processing order per group, in the order the mapping settled the batches.
  const order = new Map<string, number[]>(groups.map((group) => [group, []]));
  for (const report of tracker.reports) {
    for (const id of report.deleted) order.get(seqOf.get(id)!.group)!.push(seqOf.get(id)!.seq);
  }
  for (const group of groups) expect(order.get(group)).toEqual(Array.from({ length: perGroup }, (_, seq) => seq));
  expect(tracker.reports.some((report) => report.settlement.kind === 'partial' && report.settlement.failed.length > 0)).toBe(true);
  expect(tracker.reports.some((report) => report.settlement.kind === 'batch-failed')).toBe(true);
  expect(tracker.reports.some((report) => report.injected.length > 0)).toBe(true);
  expect(tracker.reports.flatMap((report) => report.brokenGroups)).toEqual([]);
  expect(await queueDepth(testServer().client, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
}, 60_000);

test('FIFO: a visibility timeout running out mid-invocation does not start a second invocation of the same group', async () => {
  const queue = await provisionTestQueue(testServer(), { name: 'fifo-slow', fifo: true, contentBasedDeduplication: true, visibilityTimeoutSeconds: 1, maxReceiveCount: 10 });
  // The first delivery of "slow" outlasts the 1 s visibility timeout, so the server hands the
  // group out again while it is still being processed.
  const bodies = [JSON.stringify({ seq: 0, sleepMs: 2_500, sleepOnReceive: 1 }), JSON.stringify({ seq: 1 }), JSON.stringify({ seq: 2 })];
  const ids = await sendBodies(testServer().client, queue.queueUrl, bodies, () => ({ MessageGroupId: 'slow' }));
  const spans: { start: number; end: number; ids: string[] }[] = [];
  const mapping = tracker.start(testServer(), queue, {
    concurrency: 2,
    timeoutMs: 5_000,
    onInvocation: (report) => spans.push({ start: Date.now() - (report.outcome?.durationMs ?? 0), end: Date.now(), ids: report.records.map((record) => record.messageId) }),
  });
  await waitFor('the group processed and nothing in flight', () => tracker.deleted().has(ids[2]!) && mapping.stats().inFlight === 0, 20_000);

  // No two invocations of the group overlap in time, although the first message was handed out
  // again while still in flight (at-least-once, as in AWS).
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end - 5);
  expect(spans.flatMap((span) => span.ids).filter((id) => id === ids[0]).length).toBeGreaterThanOrEqual(2);
  // Order of first successful processing is still the send order.
  const firstDone = [...new Set(tracker.reports.flatMap((report) => report.deleted))];
  expect(firstDone).toEqual(ids);
}, 30_000);
