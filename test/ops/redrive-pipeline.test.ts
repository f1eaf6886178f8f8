/**
 * The DLQ alarm rehearsed on the local run: the development pipeline with the real bundles on the
 * embedded server, a consumer "bug" (the local event source mapping failing every record) sending
 * valid orders to the order DLQ, plus one real poison message (malformed) that inventory-service
 * rejects with a logged reason. `dlq peek` shows all of them, with the reason where the consumer
 * logged one, and leaves them there; after the "fix" (failure injection switched off) `dlq redrive
 * --wait` sends them back: each valid order is processed once by every service, end to end, and
 * the poison message returns to the DLQ.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleLambda } from '../../bundling/bundle-lambda';
import { buildGraph, withScaledTimings, type EnvironmentGraph } from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { injectMalformedMessages, sendDemoOrders } from '../../demo/traffic';
import type { InvocationReport } from '../../local/event-source-mapping';
import { localOutputs, writeOutputsFile } from '../../local/outputs';
import { startLocalPipeline, type LocalPipeline } from '../../local/pipeline';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';
import { queueDepth, waitFor } from '../local/support';
import { jsonOf, ops } from './support';

const ORDERS = 5;
let sqs: LocalSqs | undefined;
let pipeline: LocalPipeline | undefined;
let cwd: string;
const reports: InvocationReport[] = [];

/**
 * The development environment with the order queue dead-lettering after one failed receive, and
 * every timing divided by 60, so the rehearsal takes seconds (the deployed settings are 3 receives
 * of a 60 s visibility timeout).
 */
function rehearsalGraph(): EnvironmentGraph {
  const rehearsal = { ...topology, queues: topology.queues.map((queue) => (queue.name === 'order' ? { ...queue, maxReceiveCount: 1 } : queue)) };
  return withScaledTimings(buildGraph(rehearsal, environments, 'development'), 60).graph;
}

beforeAll(async () => {
  cwd = mkdtempSync(path.join(os.tmpdir(), 'ops-rehearsal-'));
  const logDir = path.join(cwd, '.local', 'logs');
  mkdirSync(logDir, { recursive: true });
  sqs = await startLocalSqs({ port: 0 });
  pipeline = await startLocalPipeline({
    graph: rehearsalGraph(),
    server: sqs,
    bundle: (fn) => bundleLambda(fn.entry).file,
    waitTimeSeconds: 1,
    failureRate: 1,
    onInvocation: (report) => reports.push(report),
    // As npm start does: one log file per function.
    onLogLine: (functionName, line) => appendFileSync(path.join(logDir, `${functionName}.log`), line + '\n'),
  });
  writeOutputsFile(path.join(cwd, '.local', 'outputs.json'), localOutputs(pipeline.graph, pipeline.references, sqs));
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await sqs?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

test(`${ORDERS} orders dead-lettered by a consumer bug and 1 poison message: peek, fix, redrive --wait, each order processed once end to end`, async () => {
  const order = pipeline!.queues.find((queue) => queue.spec.name === 'order')!;
  const producer = pipeline!.producers.find((candidate) => candidate.fn.name === 'order-service')!;
  const sent = await sendDemoOrders(producer.url!, { count: ORDERS, ratePerSecond: 0, runId: 'alarm' });
  expect(sent.map((result) => result.status)).toEqual(sent.map(() => 202));
  await waitFor(`${ORDERS} orders in the order DLQ`, async () => (await queueDepth(pipeline!.client, order.deadLetterQueueUrl)).visible === ORDERS, 20_000);

  // The poison message reaches the consumer (injection off) and is rejected with a logged reason.
  pipeline!.setFailureRate(0);
  const [poisonCorrelationId] = await injectMalformedMessages(pipeline!.client, order.queueUrl, 1, 'alarm');
  await waitFor('the poison message in the order DLQ', async () => (await queueDepth(pipeline!.client, order.deadLetterQueueUrl)).visible === ORDERS + 1, 20_000);

  const status = jsonOf<{ queues: { name: string; deadLetterQueue: { visible: number } }[] }>(await ops(cwd, ['status', '--json']));
  expect(status.queues.map((queue) => [queue.name, queue.deadLetterQueue.visible])).toEqual([
    ['order', ORDERS + 1],
    ['inventory', 0],
    ['notification', 0],
  ]);

  const peek = await ops(cwd, ['dlq', 'peek', 'order', '--json']);
  expect(peek.code).toBe(0);
  const peeked = jsonOf<{ messages: { correlationId: string; reason: { reason: string; functionName: string; matchedBy: string } | null }[] }>(peek);
  expect(peeked.messages.map((message) => message.correlationId).sort()).toEqual([...sent.map((result) => result.correlationId), poisonCorrelationId].sort());
  const poison = peeked.messages.find((message) => message.correlationId === poisonCorrelationId)!;
  expect(poison.reason).toMatchObject({ reason: expect.stringMatching(/^invalid message: /), functionName: 'development-inventory-service', matchedBy: 'messageId' });
  // The bug failed the orders before the function saw them: nothing was logged, so no reason is claimed.
  expect(peeked.messages.filter((message) => message.reason === null)).toHaveLength(ORDERS);
  const human = await ops(cwd, ['dlq', 'peek', 'order']);
  expect(human.stdout).toContain('unknown (no failure logged for it)');
  expect(human.stdout).toContain('invalid message: ');
  expect(await queueDepth(pipeline!.client, order.deadLetterQueueUrl)).toEqual({ visible: ORDERS + 1, inFlight: 0 });

  const redrive = await ops(cwd, ['dlq', 'redrive', 'order', '--wait']);
  expect(redrive.code).toBe(0);
  expect(redrive.stdout).toContain(`redrive COMPLETED: ${ORDERS + 1} of ${ORDERS + 1} message(s) moved to its source queue development-order-queue`);

  // Per order: processed once by inventory-, shipping- and notification-service.
  const processedBy = (service: string) =>
    reports
      .filter((report) => report.functionName === `development-${service}`)
      .flatMap((report) => report.records.filter((record) => report.deleted.includes(record.messageId)))
      .map((record) => record.messageAttributes.correlationId?.stringValue);
  await waitFor(`${ORDERS} orders at notification-service`, () => processedBy('notification-service').length >= ORDERS, 20_000);
  const expected = sent.map((result) => result.correlationId).sort();
  for (const service of ['inventory-service', 'shipping-service', 'notification-service']) expect(processedBy(service).sort()).toEqual(expected);
  // The poison message is still poison: back in the DLQ, alone.
  await waitFor('the poison message back in the order DLQ', async () => (await queueDepth(pipeline!.client, order.deadLetterQueueUrl)).visible === 1, 20_000);
  const again = jsonOf<{ messages: { correlationId: string }[] }>(await ops(cwd, ['dlq', 'peek', 'order', '--json']));
  expect(again.messages.map((message) => message.correlationId)).toEqual([poisonCorrelationId]);
}, 90_000);
