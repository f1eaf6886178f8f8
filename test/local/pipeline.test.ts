/**
 * The whole development pipeline on the embedded server with the bundled Lambdas: orders posted to
 * order-service's local function URL travel order → inventory → notification queues, each
 * processed once by every service, with the correlation id intact end to end.
 */
import { bundleLambda } from '../../bundling/bundle-lambda';
import { buildGraph, withScaledTimings } from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import type { InvocationReport } from '../../local/event-source-mapping';
import { demoOrder, sendDemoOrders } from '../../local/demo-traffic';
import { startLocalPipeline, type LocalPipeline } from '../../local/pipeline';
import { isSettled, readProgress } from '../../local/progress';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';
import { waitFor } from './support';

const ORDERS = 40;
let sqs: LocalSqs | undefined;
let pipeline: LocalPipeline | undefined;
const reports: InvocationReport[] = [];
const logs: { functionName: string; line: string }[] = [];

beforeAll(async () => {
  sqs = await startLocalSqs({ port: 0 });
  pipeline = await startLocalPipeline({
    // Short timeouts only so that stopping is quick; nothing in this test waits for a visibility timeout.
    graph: withScaledTimings(buildGraph(topology, environments, 'development')).graph,
    server: sqs,
    bundle: (fn) => bundleLambda(fn.entry).file,
    waitTimeSeconds: 2,
    onInvocation: (report) => reports.push(report),
    onLogLine: (functionName, line) => logs.push({ functionName, line }),
  });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await sqs?.stop();
});

test(`${ORDERS} orders: every order processed once by each service, correlation id intact end to end`, async () => {
  const producer = pipeline!.producers.find((candidate) => candidate.fn.name === 'order-service')!;
  const results = await sendDemoOrders(producer.url!, { count: ORDERS, ratePerSecond: 0, runId: 'e2e' });
  expect(results.map((result) => result.status)).toEqual(results.map(() => 202));

  const notification = 'development-notification-service';
  const processedAtEnd = () => reports.filter((report) => report.functionName === notification).flatMap((report) => report.deleted).length;
  await waitFor(`${ORDERS} orders at ${notification}`, () => processedAtEnd() >= ORDERS, 30_000);
  await waitFor('all queues empty', async () => isSettled(await readProgress(pipeline!)), 10_000);

  const expected = new Map(results.map((result) => [result.correlationId, result.orderId]));
  for (const service of ['inventory-service', 'shipping-service', 'notification-service']) {
    const functionName = `development-${service}`;
    const delivered = reports.filter((report) => report.functionName === functionName).flatMap((report) => report.records);
    const deleted = new Set(reports.filter((report) => report.functionName === functionName).flatMap((report) => report.deleted));
    // Exactly one delivery per order, each processed, each carrying the order's own correlation id.
    expect(delivered).toHaveLength(ORDERS);
    expect(delivered.every((record) => deleted.has(record.messageId))).toBe(true);
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

  const progress = await readProgress(pipeline!);
  expect(progress.map(({ queue, sent: count, processed, deadLettered }) => ({ queue, count, processed, deadLettered }))).toEqual([
    { queue: 'order', count: ORDERS, processed: ORDERS, deadLettered: 0 },
    { queue: 'inventory', count: ORDERS, processed: ORDERS, deadLettered: 0 },
    { queue: 'notification', count: ORDERS, processed: ORDERS, deadLettered: 0 },
  ]);
}, 60_000);

test('order-service rejects an invalid order with 400 and publishes nothing', async () => {
  const producer = pipeline!.producers.find((candidate) => candidate.fn.name === 'order-service')!;
  const before = (await readProgress(pipeline!))[0]!.sent;
  const { items: _items, ...withoutItems } = demoOrder('e2e-bad', 1);
  const response = await fetch(producer.url!, { method: 'POST', headers: { 'x-correlation-id': 'bad-1' }, body: JSON.stringify(withoutItems) });
  expect(response.status).toBe(400);
  expect(response.headers.get('x-correlation-id')).toBe('bad-1');
  expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'items' })] });
  expect((await readProgress(pipeline!))[0]!.sent).toBe(before);
});
