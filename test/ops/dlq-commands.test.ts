/**
 * `npm run ops -- dlq …` and `send` against the embedded server (no SQS mocks), in both storage
 * modes: peek leaves the dead letters where they are, redrive moves them back natively (FIFO
 * order, group and deduplication id kept), `--rate` paces the move, cancel stops it part-way,
 * a second redrive is refused, purge asks for --yes. Counts are per message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { ProvisionedQueue } from '../../local/provision';
import { provisionTestQueue, queueDepth, stopTestServer, waitFor, type TestServer } from '../local/support';
import { startLocalSqs } from '../../local/sqs-server';
import { createLocalSqsClient } from '../../local/sqs-client';
import { deadLetter, drain, jsonOf, latestTask, localRunFolder, ops } from './support';

interface PeekJson {
  queue: string;
  approximateMessages: number;
  messages: { messageId: string; receiveCount: number; correlationId?: string; messageGroupId?: string; body: string; reason: unknown }[];
}

describe.each([
  ['in memory', false],
  ['with a data dir', true],
])('dlq commands, %s', (_mode, persist) => {
  let server: TestServer;
  let dataDir: string | undefined;
  let standard: ProvisionedQueue;
  let fifo: ProvisionedQueue;
  let cwd: string;

  beforeAll(async () => {
    dataDir = persist ? mkdtempSync(path.join(os.tmpdir(), 'ops-data-')) : undefined;
    const sqs = await startLocalSqs({ port: 0, ...(dataDir ? { dataDir } : {}) });
    server = { sqs, client: createLocalSqsClient(sqs.endpoint, sqs.region) };
    standard = await provisionTestQueue(server, { name: 'orders', visibilityTimeoutSeconds: 30, maxReceiveCount: 1 });
    fifo = await provisionTestQueue(server, { name: 'payments', fifo: true, visibilityTimeoutSeconds: 30, maxReceiveCount: 1 });
    cwd = localRunFolder([standard, fifo], server.sqs);
  });

  afterAll(async () => {
    await stopTestServer(server);
    rmSync(cwd, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    // Every test starts from empty queues and no running task.
    await waitFor('no running redrive', async () => !['RUNNING', 'CANCELLING'].includes((await latestTask(server.client, standard.deadLetterQueueArn)).latest?.Status ?? ''), 30_000);
    for (const queue of [standard, fifo]) {
      await drain(server.client, queue.queueUrl);
      await drain(server.client, queue.deadLetterQueueUrl);
    }
  });

  const name = () => standard.spec.name;
  const bodies = (count: number, tag: string) => Array.from({ length: count }, (_, i) => JSON.stringify({ tag, seq: i }));

  test('peek shows the dead letters (id, sent time, receive count, correlation id, body) and leaves every one in the DLQ', async () => {
    await deadLetter(server.client, standard, bodies(3, 'peek'), (i) => ({ correlationId: `peek-${i}` }));
    const first = await ops(cwd, ['dlq', 'peek', name(), '--json']);
    expect(first.code).toBe(0);
    const peeked = jsonOf<PeekJson>(first);
    expect(peeked.messages.map((message) => message.correlationId).sort()).toEqual(['peek-0', 'peek-1', 'peek-2']);
    expect(peeked.messages.map((message) => JSON.parse(message.body).seq).sort()).toEqual([0, 1, 2]);
    expect(await queueDepth(server.client, standard.deadLetterQueueUrl)).toEqual({ visible: 3, inFlight: 0 });

    // A second peek sees the same three (each peek is one more receive), and so does a human one.
    const second = jsonOf<PeekJson>(await ops(cwd, ['dlq', 'peek', name(), '--json']));
    expect(second.messages.map((message) => message.messageId).sort()).toEqual(peeked.messages.map((message) => message.messageId).sort());
    expect(second.messages.every((message) => message.receiveCount === peeked.messages.find((m) => m.messageId === message.messageId)!.receiveCount + 1)).toBe(true);
    const human = await ops(cwd, ['dlq', 'peek', name(), '--max', '2']);
    expect(human.stdout).toContain(`${standard.spec.deadLetterQueueName}: 2 shown of about 3`);
    expect(human.stdout).toMatch(/correlation id/);
    expect(human.stdout).toContain('"tag": "peek"');
    expect(await queueDepth(server.client, standard.deadLetterQueueUrl)).toEqual({ visible: 3, inFlight: 0 });
  });

  test('redrive --wait moves every dead letter back to its source queue once, as a new message with the same body and attributes', async () => {
    await deadLetter(server.client, standard, bodies(5, 'redrive'), (i) => ({ correlationId: `redrive-${i}` }));
    const run = await ops(cwd, ['dlq', 'redrive', name(), '--wait']);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('redrive COMPLETED: 5 of 5 message(s) moved');
    expect(await queueDepth(server.client, standard.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
    const moved = await drain(server.client, standard.queueUrl);
    expect(moved.map((message) => JSON.parse(message.Body!).seq).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(moved.map((message) => message.MessageAttributes?.correlationId?.StringValue).sort()).toEqual(['redrive-0', 'redrive-1', 'redrive-2', 'redrive-3', 'redrive-4']);
    // New messages: a fresh receive count (this drain was their first receive).
    expect(moved.every((message) => message.Attributes?.ApproximateReceiveCount === '1')).toBe(true);
  });

  test('FIFO: each redriven message group keeps its order, message group and deduplication id, and is not dropped by the dedup window', async () => {
    const sent = ['a', 'b'].flatMap((group) => [0, 1, 2].map((seq) => ({ group, seq })));
    await deadLetter(
      server.client,
      fifo,
      sent.map((message) => JSON.stringify(message)),
      (i) => ({ MessageGroupId: sent[i]!.group, MessageDeduplicationId: `dedup-${sent[i]!.group}-${sent[i]!.seq}` }),
    );
    const peeked = jsonOf<PeekJson>(await ops(cwd, ['dlq', 'peek', fifo.spec.name, '--json']));
    expect(new Set(peeked.messages.map((message) => message.messageGroupId))).toEqual(new Set(['a', 'b']));

    expect((await ops(cwd, ['dlq', 'redrive', fifo.spec.name, '--wait'])).code).toBe(0);
    const moved = await drain(server.client, fifo.queueUrl);
    // The original sends are seconds old, well inside the 5-minute deduplication window: all six arrive.
    expect(moved).toHaveLength(6);
    for (const group of ['a', 'b']) {
      const ofGroup = moved.filter((message) => message.Attributes?.MessageGroupId === group);
      expect(ofGroup.map((message) => JSON.parse(message.Body!).seq)).toEqual([0, 1, 2]);
      expect(ofGroup.map((message) => message.Attributes?.MessageDeduplicationId)).toEqual([0, 1, 2].map((seq) => `dedup-${group}-${seq}`));
    }
  });

  test('--rate paces the move: progress climbs a few messages at a time, and the task records the rate', async () => {
    await deadLetter(server.client, standard, bodies(6, 'rate'));
    const run = await ops(cwd, ['dlq', 'redrive', name(), '--rate', '4', '--wait']);
    expect(run.code).toBe(0);
    // --wait prints a line each time the count changes, polling every 100 ms while at most 4 move per second.
    const progress = [...run.stderr.matchAll(/(\d+) of 6 moved/g)].map((match) => Number(match[1]));
    expect(progress.at(-1)).toBe(6);
    expect(progress.filter((moved) => moved > 0 && moved < 6).length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const { latest } = await latestTask(server.client, standard.deadLetterQueueArn);
    expect(latest).toMatchObject({ Status: 'COMPLETED', MaxNumberOfMessagesPerSecond: 4, ApproximateNumberOfMessagesMoved: 6, ApproximateNumberOfMessagesToMove: 6 });
  });

  test('a second redrive while one runs is refused (exit 3, nothing changed); cancel stops the first part-way with its counts', async () => {
    await deadLetter(server.client, standard, bodies(20, 'cancel'));
    const started = await ops(cwd, ['dlq', 'redrive', name(), '--rate', '2']);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('redrive started: 20 message(s)');
    await waitFor('2 moved', async () => ((await latestTask(server.client, standard.deadLetterQueueArn)).latest?.ApproximateNumberOfMessagesMoved ?? 0) >= 2, 10_000);
    const tasksBefore = (await latestTask(server.client, standard.deadLetterQueueArn)).count;

    const second = await ops(cwd, ['dlq', 'redrive', name(), '--to', name()]);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(new RegExp(`ops dlq redrive: a redrive of ${standard.spec.deadLetterQueueName} is already running \\(RUNNING, \\d+ of 20 moved`));
    expect((await latestTask(server.client, standard.deadLetterQueueArn)).count).toBe(tasksBefore);

    const cancelled = await ops(cwd, ['dlq', 'cancel', name(), '--json']);
    expect(cancelled.code).toBe(0);
    const { task } = jsonOf<{ task: { status: string; moved: number; toMove: number } }>(cancelled);
    expect(task.status).toBe('CANCELLED');
    expect(task.moved).toBeGreaterThanOrEqual(2);
    expect(task.moved).toBeLessThan(20);
    // Per message: each of the 20 is on exactly one queue, the moved ones on the source queue.
    const onSource = (await drain(server.client, standard.queueUrl)).map((message) => JSON.parse(message.Body!).seq as number);
    const onDlq = (await drain(server.client, standard.deadLetterQueueUrl)).map((message) => JSON.parse(message.Body!).seq as number);
    expect(onSource).toHaveLength(task.moved);
    expect([...onSource, ...onDlq].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));

    const nothingToCancel = await ops(cwd, ['dlq', 'cancel', name()]);
    expect(nothingToCancel.code).toBe(3);
    expect(nothingToCancel.stderr).toContain(`no redrive of ${standard.spec.deadLetterQueueName} is running (the latest: CANCELLED`);
  });

  test('purge says what it would delete and exits 3 without --yes; with --yes the DLQ is empty', async () => {
    await deadLetter(server.client, standard, bodies(4, 'purge'));
    const dryRun = await ops(cwd, ['dlq', 'purge', name()]);
    expect(dryRun.code).toBe(3);
    expect(dryRun.stderr).toContain(`would delete about 4 message(s) of ${standard.spec.deadLetterQueueName} (4 visible, 0 in flight, 0 delayed); run again with --yes`);
    expect(await queueDepth(server.client, standard.deadLetterQueueUrl)).toEqual({ visible: 4, inFlight: 0 });
    const purged = await ops(cwd, ['dlq', 'purge', name(), '--yes']);
    expect(purged.code).toBe(0);
    expect(await queueDepth(server.client, standard.deadLetterQueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  test('send puts one enveloped message with a correlation id on the queue (FIFO: group from --group-id, eventId as dedup id)', async () => {
    const run = await ops(cwd, ['send', fifo.spec.name, '--type', 'PaymentTaken', '--body', '{"paymentId":"p-1"}', '--group-id', 'g-1', '--correlation-id', 'fix-check-1', '--json']);
    expect(run.code).toBe(0);
    const sent = jsonOf<{ messageId: string; eventId: string }>(run);
    const { Messages: [message] = [] } = await server.client.send(
      new ReceiveMessageCommand({ QueueUrl: fifo.queueUrl, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    expect(message?.MessageId).toBe(sent.messageId);
    expect(JSON.parse(message!.Body!)).toEqual({ type: 'PaymentTaken', version: 1, eventId: sent.eventId, occurredAt: expect.any(String), producer: 'ops', data: { paymentId: 'p-1' } });
    expect(message!.MessageAttributes?.correlationId?.StringValue).toBe('fix-check-1');
    expect(message!.Attributes).toMatchObject({ MessageGroupId: 'g-1', MessageDeduplicationId: sent.eventId });
  });
});
