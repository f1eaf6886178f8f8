/**
 * Written as another team would use the emulator: their own topology (one queue, one consumer),
 * their own TypeScript handler, started through the public API on port 0 from Jest, asserting on
 * AWS's partial-batch semantics — the failed records stay and reach the DLQ, the others are deleted.
 */
import path from 'node:path';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { EnvironmentProfiles, Topology } from '../../model';
import { invocationRecord, peekMessages, startLocalEnvironment, type InvocationReport, type LocalEnvironment } from '../../local';
import { waitFor } from './support';

const topology: Topology = {
  queues: [{ name: 'payments', visibilityTimeoutSeconds: 7, maxReceiveCount: 1, receiveWaitTimeSeconds: 1 }],
  functions: [
    {
      name: 'payments-worker',
      entry: path.join(__dirname, 'fixtures', 'payments-worker', 'handler.ts'),
      consumes: { queue: 'payments', batchSize: 10, maximumBatchingWindowSeconds: 1 },
      timeoutSeconds: 1,
    },
  ],
};
const environments: EnvironmentProfiles = { development: { region: 'eu-west-1' }, staging: {}, production: {} };

let local: LocalEnvironment | undefined;
const reports: InvocationReport[] = [];

beforeAll(async () => {
  local = await startLocalEnvironment({ topology, environments, environment: 'development', port: 0, waitTimeSeconds: 1, onInvocation: (report) => reports.push(report) });
}, 60_000);

afterAll(async () => {
  await local?.stop();
});

test('a partial batch failure: the good payments are deleted, the bad ones stay and reach the DLQ', async () => {
  const payments = local!.queues.payments!;
  expect(local!.region).toBe('eu-west-1');
  expect(payments.queueArn).toBe('arn:aws:sqs:eu-west-1:000000000000:development-payments-queue');
  const bodies = [10, -1, 25, 40, -5, 7].map((amount, i) => JSON.stringify({ paymentId: `p-${i}`, amount }));
  const sent = await local!.client.send(
    new SendMessageBatchCommand({ QueueUrl: payments.queueUrl, Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })) }),
  );
  const ids = bodies.map((_, i) => sent.Successful!.find((entry) => entry.Id === String(i))!.MessageId!);
  const bad = [ids[1]!, ids[4]!];
  const good = ids.filter((id) => !bad.includes(id));

  await waitFor('all six payments delivered', () => reports.flatMap((report) => report.records).length >= 6, 15_000);
  expect(reports.flatMap((report) => report.deleted).sort()).toEqual([...good].sort());
  const records = reports.map((report) => invocationRecord(report));
  expect(records.flatMap((record) => record.failed).sort()).toEqual([...bad].sort());
  expect(records.find((record) => record.failed.length > 0)).toMatchObject({ function: 'development-payments-worker', outcome: 'partial' });
  // maxReceiveCount 1: each bad payment failed on its last allowed receive.
  expect(reports.flatMap((report) => report.deadLettering).sort()).toEqual([...bad].sort());

  // After the visibility timeout, the next receive moves them to the DLQ.
  const dlq = async () => (await peekMessages(local!.client, payments.deadLetterQueueUrl)).map((message) => message.MessageId!).sort();
  await waitFor('both bad payments in the DLQ', async () => (await dlq()).length === 2, 20_000);
  expect(await dlq()).toEqual([...bad].sort());
}, 60_000);
