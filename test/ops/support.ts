/**
 * Shared pieces of the `npm run ops` tests: the command run in-process (its exit status and what
 * it printed), the local outputs file of a set of provisioned queues, and helpers that put messages
 * into a DLQ the way SQS does (receives past maxReceiveCount) and read queues back.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteMessageCommand, ListMessageMoveTasksCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { outputName } from '../../model';
import { writeOutputsFile } from '../../local/outputs';
import type { ProvisionedQueue } from '../../local/provision';
import { runOps, type OpsIo } from '../../ops';
import { queueDepth, sendBodies, waitFor } from '../local/support';

export interface OpsRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run ops -- <args>` in-process in `cwd`, polling progress every 100 ms. */
export async function ops(cwd: string, args: readonly string[], io: Partial<OpsIo> = {}): Promise<OpsRun> {
  let stdout = '';
  let stderr = '';
  const code = await runOps(args, {
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    pollIntervalMs: 100,
    ...io,
  });
  return { code, stdout, stderr };
}

/** `--json` output, parsed (fails the test with the run's stderr when it is not JSON). */
export function jsonOf<T>(run: OpsRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

/**
 * A scratch folder with `.local/outputs.json` for `queues` (each provisioned from its own graph), with
 * the four per-queue outputs ops reads, named as the local run names them.
 */
export function localRunFolder(queues: readonly ProvisionedQueue[], server: { endpoint: string; region: string }): string {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'ops-'));
  const values: Record<string, string> = {};
  for (const queue of queues) {
    values[outputName(queue.spec.name, 'queue_url')] = queue.queueUrl;
    values[outputName(queue.spec.name, 'queue_arn')] = queue.queueArn;
    values[outputName(queue.spec.name, 'dlq_url')] = queue.deadLetterQueueUrl;
    values[outputName(queue.spec.name, 'dlq_arn')] = queue.deadLetterQueueArn;
  }
  writeOutputsFile(path.join(cwd, '.local', 'outputs.json'), { development: { ...values, sqs_endpoint: server.endpoint, region: server.region } });
  return cwd;
}

/**
 * Sends `bodies` and receives them past the queue's maxReceiveCount (1 in these tests) with
 * visibility 0, so SQS itself moves them to the DLQ; resolves when all are there.
 */
export async function deadLetter(
  client: SQSClient,
  queue: ProvisionedQueue,
  bodies: readonly string[],
  extra?: Parameters<typeof sendBodies>[3],
): Promise<void> {
  const before = (await queueDepth(client, queue.deadLetterQueueUrl)).visible;
  await sendBodies(client, queue.queueUrl, bodies, extra);
  await waitFor(
    `${bodies.length} messages in ${queue.spec.deadLetterQueueName}`,
    async () => {
      await client.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
      return (await queueDepth(client, queue.deadLetterQueueUrl)).visible === before + bodies.length;
    },
    10_000,
  );
}

/** Receives and deletes every message of a queue, in receive order. */
export async function drain(client: SQSClient, queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (let empty = 0; empty < 2; ) {
    const { Messages: received = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    empty = received.length === 0 ? empty + 1 : 0;
    for (const message of received) {
      messages.push(message);
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
    }
  }
  return messages;
}

/** The DLQ's latest move task as SQS lists it. */
export async function latestTask(client: SQSClient, deadLetterQueueArn: string) {
  const { Results: results = [] } = await client.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueueArn, MaxResults: 10 }));
  return { latest: results[0], count: results.length };
}
