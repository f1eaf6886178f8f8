/**
 * The local event source mapping against the embedded server: batch failure reporting, the DLQ after
 * maxReceiveCount, batch size / window and the concurrency limit, with scripted fixture consumers.
 */
import { createHash } from 'node:crypto';
import { provisionTestQueue, queueDepth, sendBodies, useMappingTestServer, waitFor } from './support';

const { server: testServer, tracker } = useMappingTestServer();

test('partial batch failure: only the reported ids come back, the rest are deleted once', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 1, maxReceiveCount: 5 });
  const bodies = Array.from({ length: 10 }, (_, i) => JSON.stringify(i % 3 === 0 ? { failUntilReceive: 2, seq: i } : { seq: i }));
  const ids = await sendBodies(testServer().client, queue.queueUrl, bodies);
  const failing = ids.filter((_, i) => i % 3 === 0);
  tracker.start(testServer(), queue);

  await waitFor('every message processed', () => tracker.deleted().size === ids.length, 15_000);
  const deliveries = tracker.deliveries();
  for (const id of ids) expect(deliveries.get(id)).toBe(failing.includes(id) ? 2 : 1);
  // The second attempt carries exactly the ids reported failed the first time.
  const firstFailed = tracker.reports.flatMap((report) => (report.settlement.kind === 'partial' ? report.settlement.failed : []));
  expect(new Set(firstFailed)).toEqual(new Set(failing));
  expect(await queueDepth(testServer().client, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
});

test.each([
  ['an unknown itemIdentifier', { respond: { batchItemFailures: [{ itemIdentifier: 'not-a-message-of-this-batch' }] } }, /not a message id of this batch/],
  ['an empty itemIdentifier', { respond: { batchItemFailures: [{ itemIdentifier: '' }] } }, /no usable itemIdentifier/],
  ['a bad key name', { respond: { batchItemFailures: [{ messageId: 'x' }] } }, /no usable itemIdentifier/],
  ['a response that is not an object', { respond: 'done' }, /not a batch response object/],
  ['a thrown error', { throw: true }, /function threw: Error: scripted failure/],
])('%s fails the whole batch: nothing is deleted', async (_case, script, reason) => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 30, maxReceiveCount: 5 });
  // One scripted record decides the response; the other records of the batch are healthy.
  const ids = await sendBodies(testServer().client, queue.queueUrl, [JSON.stringify({ seq: 1 }), JSON.stringify(script), JSON.stringify({ seq: 3 })]);
  tracker.start(testServer(), queue, { maximumBatchingWindowSeconds: 1, batchSize: 3 });

  await waitFor('one invocation', () => tracker.reports.length >= 1, 10_000);
  const [report] = tracker.reports;
  expect(report!.records.map((record) => record.messageId)).toEqual(ids);
  expect(report!.settlement).toMatchObject({ kind: 'batch-failed', failed: ids });
  expect(report!.settlement.kind === 'batch-failed' && report!.settlement.reason).toMatch(reason);
  expect(report!.deleted).toEqual([]);
  // All three stay on the queue, invisible until the 30 s visibility timeout passes.
  expect(await queueDepth(testServer().client, queue.queueUrl)).toEqual({ visible: 0, inFlight: 3 });
});

test('a poison message reaches the DLQ after exactly maxReceiveCount receives', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 1, maxReceiveCount: 3 });
  const [poison] = await sendBodies(testServer().client, queue.queueUrl, ['{not json']);
  const [healthy] = await sendBodies(testServer().client, queue.queueUrl, [JSON.stringify({ seq: 1 })]);
  tracker.start(testServer(), queue);

  await waitFor('the poison message in the DLQ', async () => (await queueDepth(testServer().client, queue.deadLetterQueueUrl)).visible === 1, 15_000);
  const poisonRecords = tracker.reports.flatMap((report) => report.records).filter((record) => record.messageId === poison);
  expect(poisonRecords.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
  expect(tracker.deliveries().get(healthy!)).toBe(1);
  expect(await queueDepth(testServer().client, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
});

test('records are built like AWS builds them', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 5 });
  const [id] = await sendBodies(testServer().client, queue.queueUrl, ['{"seq":1}'], () => ({ correlationId: 'corr-1' }));
  tracker.start(testServer(), queue);
  await waitFor('one invocation', () => tracker.reports.length >= 1, 10_000);
  const record = tracker.reports[0]!.records[0]!;
  expect(record).toEqual({
    messageId: id,
    receiptHandle: expect.any(String),
    body: '{"seq":1}',
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: expect.stringMatching(/^\d{13}$/),
      SenderId: expect.any(String),
      ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
    },
    messageAttributes: { correlationId: { stringValue: 'corr-1', stringListValues: [], binaryListValues: [], dataType: 'String' } },
    md5OfBody: createHash('md5').update('{"seq":1}').digest('hex'),
    md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
    eventSource: 'aws:sqs',
    eventSourceARN: queue.queueArn,
    awsRegion: testServer().sqs.region,
  });
});

test('batch size and batching window: 25 records gathered into one invocation, not three', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 10 });
  const ids = await sendBodies(testServer().client, queue.queueUrl, Array.from({ length: 25 }, (_, i) => JSON.stringify({ seq: i })));
  tracker.start(testServer(), queue, { batchSize: 25, maximumBatchingWindowSeconds: 2 });
  await waitFor('all processed', () => tracker.deleted().size === 25, 10_000);
  expect(tracker.reports).toHaveLength(1);
  expect(new Set(tracker.reports[0]!.records.map((record) => record.messageId))).toEqual(new Set(ids));
});

test('without a window, an invocation gets what one receive returned (at most 10)', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 10 });
  await sendBodies(testServer().client, queue.queueUrl, Array.from({ length: 25 }, (_, i) => JSON.stringify({ seq: i })));
  tracker.start(testServer(), queue, { batchSize: 10 });
  await waitFor('all processed', () => tracker.deleted().size === 25, 10_000);
  expect(Math.max(...tracker.reports.map((report) => report.records.length))).toBeLessThanOrEqual(10);
  expect(tracker.reports.length).toBeGreaterThanOrEqual(3);
});

test('the concurrency limit caps simultaneous invocations', async () => {
  const queue = await provisionTestQueue(testServer(), { visibilityTimeoutSeconds: 10 });
  await sendBodies(testServer().client, queue.queueUrl, Array.from({ length: 12 }, (_, i) => JSON.stringify({ seq: i, sleepMs: 300 })));
  let peak = 0;
  // Each record sleeps 300 ms; sample how many records are in invocations at once.
  const mapping = tracker.start(testServer(), queue, { batchSize: 1, concurrency: 3 });
  const sampler = setInterval(() => {
    peak = Math.max(peak, mapping.stats().inFlight);
  }, 20);
  try {
    await waitFor('all processed', () => tracker.deleted().size === 12, 15_000);
  } finally {
    clearInterval(sampler);
  }
  expect(peak).toBe(3);
  expect(new Set(tracker.reports.map((report) => report.poller))).toEqual(new Set([0, 1, 2]));
});
