/**
 * Supervision of a local run, through the public API against the real embedded server: execution
 * environments that die (idle, mid-batch, of a late unhandled rejection) are replaced and their
 * batch counts as failed; a server that dies is restarted with its data directory, or (in memory)
 * the environment stops and names what died. Every test checks that no process is left (the process
 * table before and after) and accounts for every message: processed ∪ dead-lettered ∪ still queued
 * = accepted, with no message in two of them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EnvironmentProfiles, Topology } from '../../model';
import { peekMessages, startLocalEnvironment, type InvocationReport, type LocalEnvironment, type LocalEnvironmentEvent } from '../../local';
import { descendants, startedSince, SCRIPTED_CONSUMER, sendBodies, waitFor, waitForExit } from './support';

const environments: EnvironmentProfiles = { development: {}, staging: {}, production: {} };
/** One queue, one scripted consumer (test/local/fixtures/scripted-consumer.mjs), 1 s timeout, visibility 6 s. */
const topology: Topology = {
  queues: [{ name: 'jobs', visibilityTimeoutSeconds: 6, maxReceiveCount: 3, receiveWaitTimeSeconds: 1 }],
  functions: [
    { name: 'worker', entry: SCRIPTED_CONSUMER, consumes: { queue: 'jobs', batchSize: 10 }, timeoutSeconds: 1 },
    // Behind a function URL: the scripted consumer throws on an HTTP event (it has no Records).
    { name: 'api', entry: SCRIPTED_CONSUMER, functionUrl: true, timeoutSeconds: 1 },
  ],
};

interface Run {
  readonly local: LocalEnvironment;
  readonly reports: InvocationReport[];
  readonly events: LocalEnvironmentEvent[];
  readonly logDir: string;
  readonly before: Set<number>;
}

const runs: Run[] = [];
const folders: string[] = [];

async function start(options: { dataDir?: string } = {}): Promise<Run> {
  const before = new Set(descendants(process.pid));
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'supervision-logs-'));
  folders.push(logDir);
  const reports: InvocationReport[] = [];
  const events: LocalEnvironmentEvent[] = [];
  const local = await startLocalEnvironment({
    topology,
    environments,
    bundle: () => SCRIPTED_CONSUMER,
    concurrency: 1,
    waitTimeSeconds: 1,
    logDir,
    ...options,
    onInvocation: (report) => reports.push(report),
    onEvent: (event) => events.push(event),
  });
  const run = { local, reports, events, logDir, before };
  runs.push(run);
  return run;
}

/** Stops the run and checks that every process it started is gone. */
async function stopAndCheckProcesses(run: Run): Promise<void> {
  const started = startedSince(run.before);
  expect(started.length).toBeGreaterThanOrEqual(1);
  await run.local.stop();
  await waitForExit(started);
  expect(startedSince(run.before)).toEqual([]);
}

/** processed ∪ dead-lettered ∪ still queued = accepted, pairwise disjoint. Call with the consumer idle or stopped. */
async function expectAccountedFor(run: Run, accepted: readonly string[]): Promise<void> {
  const { client, queues } = run.local;
  const processed = new Set(run.reports.flatMap((report) => report.deleted));
  const deadLettered = (await peekMessages(client, queues.jobs!.deadLetterQueueUrl)).map((message) => message.MessageId!);
  const queued = (await peekMessages(client, queues.jobs!.queueUrl)).map((message) => message.MessageId!);
  const all = [...processed, ...deadLettered, ...queued];
  expect(new Set(all)).toEqual(new Set(accepted));
  expect(all).toHaveLength(accepted.length);
}

const processedCount = (run: Run) => new Set(run.reports.flatMap((report) => report.deleted)).size;
/** The log's complete lines: the run may be writing one right now (a line is complete at its newline). */
const invocationLog = (run: Run) =>
  readFileSync(path.join(run.logDir, 'invocations.jsonl'), 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

afterEach(async () => {
  await Promise.all(runs.splice(0).map((run) => run.local.stop()));
});
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

test('an idle execution environment that is killed is replaced; the run goes on', async () => {
  const run = await start();
  const first = await sendBodies(run.local.client, run.local.queues.jobs!.queueUrl, ['{"seq":0}', '{"seq":1}']);
  await waitFor('the first messages processed', () => processedCount(run) === 2, 15_000);
  const [idle] = run.local.pids().functions;
  process.kill(idle!, 'SIGKILL');
  await waitFor('the death reported', () => run.events.some((event) => event.kind === 'environment-died'), 5_000);
  expect(run.events.find((event) => event.kind === 'environment-died')).toMatchObject({ exit: { pid: idle, signal: 'SIGKILL', during: 'idle' } });

  const second = await sendBodies(run.local.client, run.local.queues.jobs!.queueUrl, ['{"seq":2}', '{"seq":3}']);
  await waitFor('the later messages processed by a fresh environment', () => processedCount(run) === 4, 15_000);
  expect(run.local.pids().functions).not.toContain(idle);
  expect(run.reports.at(-1)!.outcome).toMatchObject({ ok: true, coldStart: true });
  await expectAccountedFor(run, [...first, ...second]);
  expect(invocationLog(run).find((line) => line.event === 'environment-died')).toMatchObject({ during: 'idle', signal: 'SIGKILL' });
  await stopAndCheckProcesses(run);
}, 60_000);

test('an execution environment killed mid-batch: the batch counts as crashed, returns and is processed', async () => {
  const run = await start();
  // Record 5 sleeps on its first delivery, so the kill lands after records 0–4 were handled.
  const bodies = Array.from({ length: 10 }, (_, i) => JSON.stringify(i === 5 ? { seq: i, sleepMs: 800, sleepOnReceive: 1 } : { seq: i }));
  const handled: string[] = [];
  const ids = await sendBodies(run.local.client, run.local.queues.jobs!.queueUrl, bodies);
  const log = path.join(run.logDir, 'development-worker.log');
  await waitFor('records 0–4 handled', () => {
    handled.splice(0, handled.length, ...safeRead(log).split('\n').filter((line) => line.includes('record handled')));
    return handled.length >= 5;
  }, 15_000);
  const [busy] = run.local.pids().functions;
  process.kill(busy!, 'SIGKILL');

  await waitFor('every message processed after the visibility timeout', () => processedCount(run) === ids.length, 20_000);
  const crashed = invocationLog(run).find((line) => line.outcome === 'crash');
  expect(crashed).toMatchObject({ function: 'development-worker', reason: expect.stringMatching(/crashed.*SIGKILL/) });
  expect((crashed!.failed as string[]).sort()).toEqual([...ids].sort());
  expect(run.events.find((event) => event.kind === 'environment-died')).toMatchObject({ exit: { during: 'invocation' } });
  await expectAccountedFor(run, ids);
  await stopAndCheckProcesses(run);
}, 60_000);

test('a handler with a late unhandled rejection: its environment dies after answering, is replaced, nothing is lost', async () => {
  const run = await start();
  const first = await sendBodies(run.local.client, run.local.queues.jobs!.queueUrl, [JSON.stringify({ seq: 0, lateRejectMs: 100 })]);
  await waitFor('the death reported', () => run.events.some((event) => event.kind === 'environment-died'), 15_000);
  expect(run.events.find((event) => event.kind === 'environment-died')).toMatchObject({
    exit: { during: 'idle', code: 1, reason: expect.stringMatching(/^Runtime\.UnhandledPromiseRejection: late rejection after/) },
  });
  const second = await sendBodies(run.local.client, run.local.queues.jobs!.queueUrl, ['{"seq":1}', '{"seq":2}']);
  await waitFor('every message processed', () => processedCount(run) === 3, 15_000);
  await expectAccountedFor(run, [...first, ...second]);
  await stopAndCheckProcesses(run);
}, 60_000);

test('with a data directory, a killed server is restarted on the same port with its messages', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'supervision-data-'));
  folders.push(dataDir);
  const run = await start({ dataDir });
  const { port } = new URL(run.local.endpoint);
  // 30 messages of 100 ms each: the kill lands while batches are being processed.
  const ids = await sendBodies(run.local.client, run.local.queues.jobs!.queueUrl, Array.from({ length: 30 }, (_, i) => JSON.stringify({ seq: i, sleepMs: 60 })));
  await waitFor('a first batch processed', () => processedCount(run) >= 1, 15_000);
  const server = run.local.pids().server;
  process.kill(server, 'SIGKILL');
  await waitFor('the server back', () => run.events.some((event) => event.kind === 'server-restarted'), 20_000);
  expect(run.events.find((event) => event.kind === 'server-died')).toMatchObject({ pid: server, exit: { signal: 'SIGKILL' } });
  expect(run.events.find((event) => event.kind === 'server-restarted')!.message).toMatch(/could not be deleted while it was down/);
  expect(run.local.pids().server).not.toBe(server);
  expect(new URL(run.local.endpoint).port).toBe(port);

  await waitFor('every message processed', () => processedCount(run) === ids.length, 30_000);
  await expectAccountedFor(run, ids);
  await stopAndCheckProcesses(run);
}, 90_000);

test('in memory, a killed server stops the environment with a message naming what died', async () => {
  const run = await start();
  const ids = await sendBodies(run.local.client, run.local.queues.jobs!.queueUrl, ['{"seq":0}']);
  await waitFor('the message processed', () => processedCount(run) === 1, 15_000);
  const started = startedSince(run.before);
  const server = run.local.pids().server;
  process.kill(server, 'SIGKILL');
  const reason = await run.local.failed;
  expect(reason).toMatch(new RegExp(`^the embedded SQS server \\(pid ${server}, port \\d+\\) was killed by SIGKILL; it ran in memory, so the messages it held are gone`));
  expect(run.events.find((event) => event.kind === 'server-lost')!.message).toBe(`stopping: ${reason}`);
  // The environment stopped itself: every process is gone without anyone calling stop().
  await waitForExit(started);
  expect(run.reports.flatMap((report) => report.deleted)).toEqual(ids);
}, 60_000);

test('a function URL invocation that fails is answered 502 and recorded with its reason', async () => {
  const run = await start();
  const response = await fetch(run.local.functionUrls.api!, { method: 'POST', body: '{}' });
  expect(response.status).toBe(502);
  await waitFor('the record', () => invocationLog(run).some((line) => line.trigger === 'function-url'), 5_000);
  expect(invocationLog(run).find((line) => line.trigger === 'function-url')).toMatchObject({
    function: 'development-api',
    outcome: 'error',
    reason: expect.stringMatching(/^TypeError: .*\(the caller got 502\)$/),
  });
  await stopAndCheckProcesses(run);
}, 30_000);

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
