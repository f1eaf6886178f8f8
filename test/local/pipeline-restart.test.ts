/**
 * Faults on the reference pipeline with the real bundles and a data directory: an idle
 * inventory-service environment killed, the embedded server killed mid-run (restarted on the same
 * port and data directory), and the whole environment stopped with orders still queued and started
 * again on the same data directory. Every accepted order reaches notification-service; nothing is
 * left in a queue or a DLQ, and no process outlives the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { sendDemoOrders, type DemoOrderResult } from '../../demo/traffic';
import { peekMessages, startLocalEnvironment, type InvocationReport, type LocalEnvironment, type LocalEnvironmentEvent } from '../../local';
import { descendants, startedSince, waitFor, waitForExit } from './support';

const NOTIFICATION = 'development-notification-service';
let dataDir: string;
const reached = new Set<string>();
const events: LocalEnvironmentEvent[] = [];
let before: Set<number>;

const start = () =>
  startLocalEnvironment({
    topology,
    environments,
    fast: true,
    dataDir,
    waitTimeSeconds: 1,
    onInvocation: (report: InvocationReport) => {
      if (report.functionName !== NOTIFICATION) return;
      const deleted = new Set(report.deleted);
      for (const record of report.records) if (deleted.has(record.messageId)) reached.add(record.messageAttributes.correlationId!.stringValue!);
    },
    onEvent: (event) => events.push(event),
  });

let local: LocalEnvironment | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-restart-'));
  before = new Set(descendants(process.pid));
});
afterAll(async () => {
  await local?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function expectEverythingDelivered(environment: LocalEnvironment, orders: readonly DemoOrderResult[]): Promise<void> {
  const accepted = orders.filter((order) => order.status === 202).map((order) => order.correlationId);
  expect(accepted).toHaveLength(orders.length);
  await waitFor('every accepted order at notification-service', () => accepted.every((id) => reached.has(id)), 40_000);
  for (const queue of Object.values(environment.queues)) {
    expect(await peekMessages(environment.client, queue.deadLetterQueueUrl)).toEqual([]);
    await waitFor('the queue empty', async () => (await peekMessages(environment.client, queue.queueUrl)).length === 0, 20_000);
  }
}

test('an idle environment and then the server are killed; every order still arrives', async () => {
  local = await start();
  const url = local.functionUrls['order-service']!;
  const warm = await sendDemoOrders(url, { count: 5, ratePerSecond: 0, runId: 'warm' });
  await expectEverythingDelivered(local, warm);

  const inventory = local.pipeline.consumers.find((consumer) => consumer.fn.name === 'inventory-service')!;
  const [idle] = inventory.mapping.pids;
  process.kill(idle!, 'SIGKILL');
  await waitFor('the idle environment reported dead', () => events.some((event) => event.kind === 'environment-died'), 5_000);

  const sending = sendDemoOrders(url, { count: 30, ratePerSecond: 60, runId: 'outage' });
  await waitFor('some orders at notification-service', () => reached.size >= 10, 20_000);
  process.kill(local.pids().server, 'SIGKILL');
  await waitFor('the server restarted', () => events.some((event) => event.kind === 'server-restarted'), 20_000);
  const orders = await sending;
  // Orders that arrived while the server was down were refused by order-service (503), as SQS
  // outages are in AWS; every order it accepted must arrive.
  const accepted = orders.filter((order) => order.status === 202);
  expect(accepted.length).toBeGreaterThan(0);
  await expectEverythingDelivered(local, accepted);
}, 90_000);

test('stopped with orders still queued and started again on the same data directory: they are processed', async () => {
  const url = local!.functionUrls['order-service']!;
  // Stop the consumers first so the orders stay queued, as a run stopped mid-way leaves them.
  await Promise.all(local!.pipeline.consumers.map((consumer) => consumer.mapping.stop(5_000)));
  const queued = await sendDemoOrders(url, { count: 10, ratePerSecond: 0, runId: 'queued' });
  expect(queued.every((order) => order.status === 202)).toBe(true);
  const first = startedSince(before);
  await local!.stop();
  await waitForExit(first);
  expect(queued.some((order) => reached.has(order.correlationId))).toBe(false);

  local = await start();
  await expectEverythingDelivered(local, queued);
  const second = startedSince(before);
  await local.stop();
  local = undefined;
  await waitForExit(second);
  expect(startedSince(before)).toEqual([]);
}, 90_000);
