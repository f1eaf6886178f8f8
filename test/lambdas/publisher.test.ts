/**
 * SqsPublisher in-process against the real embedded SQS server behind a fault-injecting proxy:
 * batching by count and bytes, retries of only the failed entries, one result per message.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { backoffDelayMs } from '../../lambdas/shared/backoff';
import { SQS_MAX_MESSAGE_BYTES } from '../../lambdas/shared/message-size';
import type { PublishMessage } from '../../lambdas/shared/publish-types';
import { SqsPublisher } from '../../lambdas/shared/publisher';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { createTestQueue, receiveMessages, testSqsClient } from '../support/sqs-test-queues';

let sqs: LocalSqs;
let proxy: FaultProxy;
let directClient: SQSClient;
let proxiedClient: SQSClient;

beforeAll(async () => {
  sqs = await startLocalSqs({ port: 0 });
  proxy = await startFaultProxy({ target: sqs.endpoint });
  directClient = testSqsClient(sqs.endpoint, sqs.region);
  proxiedClient = testSqsClient(proxy.endpoint, sqs.region);
});

afterAll(async () => {
  proxiedClient?.destroy();
  directClient?.destroy();
  await proxy?.close();
  await sqs?.stop();
});

beforeEach(() => {
  proxy.setFailEntry(undefined);
  proxy.clearCalls();
});

/** No waiting between attempts: the retry schedule is not what these tests measure. */
function publisher(options: { maxAttempts?: number } = {}): SqsPublisher {
  return new SqsPublisher({ client: proxiedClient, baseDelayMs: 0, maxDelayMs: 0, ...options });
}

function messages(count: number, bodyOf: (index: number) => string = (index) => `message-${index}`): PublishMessage[] {
  return Array.from({ length: count }, (_, index) => ({ key: `key-${index}`, body: bodyOf(index), attributes: { correlationId: `corr-${index}` } }));
}

test('retries only the entries SQS reported failed and returns a result per message (fault-injecting proxy)', async () => {
  const queue = await createTestQueue(directClient, sqs, 'publisher');
  proxy.setFailEntry((entry, call) => {
    if (entry.MessageBody === 'message-7') return { code: 'InvalidParameterValue', message: 'injected permanent', senderFault: true };
    if (call === 1 && (entry.MessageBody === 'message-2' || entry.MessageBody === 'message-5')) {
      return { code: 'InternalError', message: 'injected transient', senderFault: false };
    }
    return undefined;
  });

  const results = await publisher().publish(queue.url, messages(10));

  expect(proxy.calls.map((call) => call.entries.map((entry) => entry.MessageBody))).toEqual([
    Array.from({ length: 10 }, (_, index) => `message-${index}`),
    ['message-2', 'message-5'],
  ]);
  expect(results).toHaveLength(10);
  expect(results.map((result) => result.key)).toEqual(Array.from({ length: 10 }, (_, index) => `key-${index}`));
  expect(results[7]).toEqual({ key: 'key-7', status: 'failed', code: 'InvalidParameterValue', reason: 'injected permanent', senderFault: true, attempts: 1 });
  expect(results[2]).toMatchObject({ status: 'sent', attempts: 2 });
  expect(results[5]).toMatchObject({ status: 'sent', attempts: 2 });
  expect(results.filter((result) => result.status === 'sent' && result.attempts === 1)).toHaveLength(7);
  const stored = await receiveMessages(directClient, queue.url, 9);
  expect(stored.map((message) => message.Body).sort()).toEqual(
    Array.from({ length: 10 }, (_, index) => `message-${index}`).filter((body) => body !== 'message-7').sort(),
  );
  const sentIds = new Set(results.flatMap((result) => (result.status === 'sent' ? [result.messageId] : [])));
  expect(new Set(stored.map((message) => message.MessageId))).toEqual(sentIds);
});

test('gives up on an entry that keeps failing after maxAttempts and reports the last error (fault-injecting proxy)', async () => {
  const queue = await createTestQueue(directClient, sqs, 'publisher');
  proxy.setFailEntry((entry) =>
    entry.MessageBody === 'message-1' ? { code: 'ServiceUnavailable', message: 'injected outage', senderFault: false } : undefined,
  );

  const results = await publisher({ maxAttempts: 3 }).publish(queue.url, messages(2));

  expect(proxy.calls.map((call) => call.entries.length)).toEqual([2, 1, 1]);
  expect(results[0]).toMatchObject({ status: 'sent', attempts: 1 });
  expect(results[1]).toEqual({ key: 'key-1', status: 'failed', code: 'ServiceUnavailable', reason: 'injected outage', senderFault: false, attempts: 3 });
});

test('batches by count: 25 messages go in requests of 10, 10 and 5', async () => {
  const queue = await createTestQueue(directClient, sqs, 'publisher');

  const results = await publisher().publish(queue.url, messages(25));

  // Requests to a standard queue run concurrently, so compare the sizes, not the arrival order.
  expect(proxy.calls.map((call) => call.entries.length).sort((a, b) => a - b)).toEqual([5, 10, 10]);
  expect(results.every((result) => result.status === 'sent')).toBe(true);
});

test('batches by bytes: 300 KB messages go three to a 1 MiB request; an oversized one fails without a request', async () => {
  const queue = await createTestQueue(directClient, sqs, 'publisher');
  const big = (index: number) => `${index}`.padEnd(300 * 1024, 'x');
  const batch = [...messages(5, big), { key: 'too-big', body: 'y'.repeat(SQS_MAX_MESSAGE_BYTES + 1) }];

  const results = await publisher().publish(queue.url, batch);

  // 3 × (307,200 + attribute bytes) fits in 1,048,576; a fourth does not. The two requests run
  // concurrently (standard queue), so their arrival order is not fixed.
  expect(proxy.calls.map((call) => call.entries.length).sort()).toEqual([2, 3]);
  expect(results.slice(0, 5).every((result) => result.status === 'sent')).toBe(true);
  expect(results[5]).toMatchObject({ key: 'too-big', status: 'failed', code: 'MessageTooLong', senderFault: true, attempts: 0 });
  const stored = await receiveMessages(directClient, queue.url, 5);
  expect(stored.map((message) => message.Body!.length)).toEqual(Array(5).fill(300 * 1024));
});

test('FIFO queue: message group and deduplication ids are sent and each group keeps its order', async () => {
  const queue = await createTestQueue(directClient, sqs, 'publisher', true);
  const batch: PublishMessage[] = ['a', 'b'].flatMap((group) =>
    [1, 2, 3].map((sequence) => ({ key: `${group}${sequence}`, body: `${group}-${sequence}`, messageGroupId: `order-${group}`, deduplicationId: `${group}${sequence}` })),
  );

  const results = await publisher().publish(queue.url, batch);

  expect(results.every((result) => result.status === 'sent')).toBe(true);
  expect(proxy.calls[0]!.entries.map((entry) => [entry.MessageGroupId, entry.MessageDeduplicationId])).toEqual(
    batch.map((message) => [message.messageGroupId, message.deduplicationId]),
  );
  const stored = await receiveMessages(directClient, queue.url, 6);
  for (const group of ['a', 'b']) {
    const bodies = stored.filter((message) => message.Attributes?.MessageGroupId === `order-${group}`).map((message) => message.Body);
    expect(bodies).toEqual([1, 2, 3].map((sequence) => `${group}-${sequence}`));
  }
});

test('FIFO queue: a message without a group id fails locally with MissingParameter', async () => {
  const queue = await createTestQueue(directClient, sqs, 'publisher', true);

  const [result] = await publisher().publish(queue.url, [{ key: 'no-group', body: 'x' }]);

  expect(result).toMatchObject({ status: 'failed', code: 'MissingParameter', attempts: 0 });
  expect(proxy.calls).toHaveLength(0);
});

test('retry delays are full-jitter exponential: within [0, min(max, base × 2^(n-1)))', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1_000 };
  expect([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, { ...options, random: () => 0.999999 }))).toEqual([99, 199, 399, 799, 999]);
  expect(backoffDelayMs(3, { ...options, random: () => 0 })).toBe(0);
  const sampled = Array.from({ length: 200 }, () => backoffDelayMs(2, options));
  expect(Math.min(...sampled)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...sampled)).toBeLessThan(200);
  expect(new Set(sampled).size).toBeGreaterThan(20); // actually random, not a fixed schedule
});
