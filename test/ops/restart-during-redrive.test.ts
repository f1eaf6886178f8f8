/**
 * The embedded server killed (SIGKILL, no chance to flush anything) in the middle of a paced
 * redrive, and started again on the same data directory: every message is on exactly one of the
 * two queues, none twice; the task that was running is FAILED with the count it reached (the
 * `dlq redrive --wait` following it says so and exits 1); a new redrive moves the rest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalSqsClient } from '../../local/sqs-client';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';
import { INTERRUPTED_BY_RESTART } from '../../local/fauxqs-extensions/move-tasks/move-task-service';
import { provisionTestQueue, queueDepth, waitFor, type TestServer } from '../local/support';
import { deadLetter, drain, latestTask, localRunFolder, ops } from './support';

const MESSAGES = 12;
let dataDir: string;
let cwd: string | undefined;
const servers: LocalSqs[] = [];
const clients: TestServer['client'][] = [];

async function start(port: number): Promise<TestServer> {
  const sqs = await startLocalSqs({ port, dataDir });
  servers.push(sqs);
  const client = createLocalSqsClient(sqs.endpoint, sqs.region);
  clients.push(client);
  return { sqs, client };
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ops-restart-'));
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all(servers.map((server) => server.stop()));
  rmSync(dataDir, { recursive: true, force: true });
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test('SIGKILL mid-redrive, restart on the same data dir: nothing lost or duplicated, the task FAILED with its count, a new redrive moves the rest', async () => {
  const first = await start(0);
  const queue = await provisionTestQueue(first, { name: 'restart', visibilityTimeoutSeconds: 30, maxReceiveCount: 1 });
  await deadLetter(first.client, queue, Array.from({ length: MESSAGES }, (_, i) => `message-${i}`));
  cwd = localRunFolder([queue], first.sqs);

  const following = ops(cwd, ['dlq', 'redrive', queue.spec.name, '--rate', '4', '--wait']);
  await waitFor('3 moved', async () => ((await latestTask(first.client, queue.deadLetterQueueArn)).latest?.ApproximateNumberOfMessagesMoved ?? 0) >= 3, 10_000);
  process.kill(first.sqs.pid, 'SIGKILL');
  await first.sqs.stop();

  // Same port: the outputs file (and the running --wait) keep pointing at it.
  const second = await start(first.sqs.port);
  const run = await following;
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('cannot reach SQS');
  expect(run.stdout).toMatch(new RegExp(`redrive FAILED \\(${INTERRUPTED_BY_RESTART}\\) after \\d+ of ${MESSAGES} moved`));

  const { latest } = await latestTask(second.client, queue.deadLetterQueueArn);
  expect(latest).toMatchObject({ Status: 'FAILED', FailureReason: INTERRUPTED_BY_RESTART, ApproximateNumberOfMessagesToMove: MESSAGES });
  const moved = latest!.ApproximateNumberOfMessagesMoved!;
  expect(moved).toBeGreaterThanOrEqual(3);
  expect(moved).toBeLessThan(MESSAGES);
  // The saved count is the truth: exactly that many are on the source queue, the rest still in the DLQ.
  expect(await queueDepth(second.client, queue.queueUrl)).toEqual({ visible: moved, inFlight: 0 });
  expect(await queueDepth(second.client, queue.deadLetterQueueUrl)).toEqual({ visible: MESSAGES - moved, inFlight: 0 });

  const rest = await ops(cwd, ['dlq', 'redrive', queue.spec.name, '--wait']);
  expect(rest.code).toBe(0);
  expect(rest.stdout).toContain(`redrive COMPLETED: ${MESSAGES - moved} of ${MESSAGES - moved} message(s) moved`);
  const bodies = (await drain(second.client, queue.queueUrl)).map((message) => message.Body);
  expect(bodies.sort()).toEqual(Array.from({ length: MESSAGES }, (_, i) => `message-${i}`).sort());
  expect(await queueDepth(second.client, queue.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
});
