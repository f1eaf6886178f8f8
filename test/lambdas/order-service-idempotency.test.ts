/**
 * order-service's client retries through its BUNDLE: an order is published at most once per
 * idempotency key (Idempotency-Key header + orderId, or the orderId alone), against the embedded
 * SQS server (through the fault-injecting proxy, which also counts SendMessageBatch calls) and the
 * embedded DynamoDB server holding the idempotency table.
 */
import type { LambdaFunctionURLResult } from 'aws-lambda';
import type { DirectInvokeResponse, SubmissionBody } from '../../lambdas/order-service/handler';
import { OrderCreatedSchema } from '../../lambdas/shared/order-events';
import { functionUrlEvent } from '../support/function-url-events';
import { LambdaHarness, type HarnessIdempotency } from '../support/lambda-harness';
import { useLambdaTestEnvironment } from '../support/lambda-test-environment';
import { createTestQueue, receiveMessages, type TestQueue } from '../support/sqs-test-queues';
import { waitFor } from '../local/support';

const env = useLambdaTestEnvironment({ dynamoDb: true });

async function startOrderService(options: { idempotency?: HarnessIdempotency; orderQueue?: TestQueue; timeoutMs?: number } = {}) {
  const idempotency = options.idempotency ?? (await env.idempotencyTable());
  const orderQueue = options.orderQueue ?? (await createTestQueue(env.client, env.sqs, 'order'));
  const service = new LambdaHarness({
    service: 'order-service',
    endpoint: env.proxy.endpoint,
    region: env.sqs.region,
    queueUrls: { ORDER_QUEUE_URL: orderQueue.url },
    idempotency,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  env.track(service);
  return { service, orderQueue, idempotency };
}

const order = (orderId: string, quantity = 1) => ({ orderId, customerId: 'customer-9', items: [{ sku: 'sku-green', quantity }] });

type UrlResponse = LambdaFunctionURLResult & { statusCode: number; body: string };
const bodyOf = (response: UrlResponse) => JSON.parse(response.body) as SubmissionBody;

/** The orderIds on the queue, one entry per message. */
async function publishedOrderIds(queue: TestQueue, expected: number): Promise<string[]> {
  const messages = await receiveMessages(env.client, queue.url, expected);
  return messages.map((message) => OrderCreatedSchema.parse(JSON.parse(message.Body!)).data.orderId).sort();
}

test('a request repeated with the same Idempotency-Key publishes once and gets the first answer again', async () => {
  const { service, orderQueue } = await startOrderService();
  const request = () =>
    functionUrlEvent({ body: JSON.stringify({ orders: [order('key-1'), order('key-2')] }), headers: { 'idempotency-key': 'checkout-7f3a' } });

  const first = await service.invokeOk<UrlResponse>(request());
  const repeat = await service.invokeOk<UrlResponse>(request());

  expect(first.statusCode).toBe(202);
  expect(repeat.statusCode).toBe(202);
  expect(bodyOf(repeat).results).toEqual(bodyOf(first).results.map((result) => ({ ...result, replayed: true })));
  expect(env.proxy.calls).toHaveLength(1); // one SendMessageBatch, for the first request only
  expect(await publishedOrderIds(orderQueue, 2)).toEqual(['key-1', 'key-2']);
  expect(service.logsStartingWith('orders submitted').map((line) => [line.accepted, line.replayed])).toEqual([
    [2, 0],
    [2, 2],
  ]);
});

test('without a key, an orderId already accepted is not published again', async () => {
  const { service, orderQueue } = await startOrderService();

  const first = await service.invokeOk<DirectInvokeResponse>({ orders: [order('plain-1')] });
  const second = await service.invokeOk<DirectInvokeResponse>({ orders: [order('plain-1'), order('plain-2')] });

  expect(first.statusCode).toBe(202);
  expect(second).toMatchObject({
    statusCode: 202,
    accepted: 2,
    results: [
      { orderId: 'plain-1', status: 'accepted', replayed: true },
      { orderId: 'plain-2', status: 'accepted' },
    ],
  });
  expect((second as SubmissionBody).results[1]).not.toHaveProperty('replayed');
  expect(await publishedOrderIds(orderQueue, 2)).toEqual(['plain-1', 'plain-2']);
});

test('the same key with different content is a 409 conflict and publishes nothing', async () => {
  const { service, orderQueue } = await startOrderService();
  await service.invokeOk<DirectInvokeResponse>({ orders: [order('changed-1', 1)], idempotencyKey: 'retry-9' });

  const changed = await service.invokeOk<DirectInvokeResponse>({ orders: [order('changed-1', 5)], idempotencyKey: 'retry-9' });

  expect(changed).toMatchObject({ statusCode: 409, accepted: 0, failed: 1, results: [{ orderId: 'changed-1', status: 'failed', code: 'IdempotencyKeyReused' }] });
  expect(await publishedOrderIds(orderQueue, 1)).toEqual(['changed-1']);
});

test('an order SQS refused is not remembered: the retry with the same key publishes it, and only it', async () => {
  const { service, orderQueue } = await startOrderService();
  env.proxy.setFailEntry((entry, call) =>
    call === 1 && entry.MessageBody.includes('"orderId":"refused-2"') ? { code: 'InvalidParameterValue', message: 'injected', senderFault: true } : undefined,
  );
  const request = { orders: [order('refused-1'), order('refused-2')], idempotencyKey: 'retry-after-207' };

  const first = await service.invokeOk<DirectInvokeResponse>(request);
  const retry = await service.invokeOk<DirectInvokeResponse>(request);

  expect(first).toMatchObject({ statusCode: 207, results: [{ status: 'accepted' }, { status: 'failed', code: 'InvalidParameterValue' }] });
  expect(retry).toMatchObject({
    statusCode: 202,
    results: [
      { orderId: 'refused-1', status: 'accepted', replayed: true },
      { orderId: 'refused-2', status: 'accepted' },
    ],
  });
  expect(env.proxy.calls.map((call) => call.entries.length)).toEqual([2, 1]);
  expect(await publishedOrderIds(orderQueue, 2)).toEqual(['refused-1', 'refused-2']);
});

test('a retry while the first request still runs is a 409 "in progress" and publishes nothing', async () => {
  const idempotency = await env.idempotencyTable();
  const { service: hanging, orderQueue } = await startOrderService({ idempotency, timeoutMs: 2_000 });
  const { service: retrying } = await startOrderService({ idempotency, orderQueue });
  const request = { orders: [order('busy-1')], idempotencyKey: 'double-click' };

  env.dynamoDbProxy.setHold((operation) => operation === 'PutItem');
  const first = hanging.invoke(request);
  await waitFor('the first request holding the lock', () => env.dynamoDbProxy.calls.some((call) => call.held && call.landed), 10_000);
  env.dynamoDbProxy.setHold(undefined);
  const retry = await retrying.invokeOk<DirectInvokeResponse>(request);

  expect(retry).toMatchObject({ statusCode: 409, results: [{ orderId: 'busy-1', status: 'failed', code: 'RequestInProgress' }] });
  expect(await first).toMatchObject({ ok: false, timedOut: true });
  expect(env.proxy.calls).toHaveLength(0);
});

test('an unusable Idempotency-Key header is a 400 naming it', async () => {
  const { service } = await startOrderService();

  const response = await service.invokeOk<UrlResponse>(functionUrlEvent({ body: JSON.stringify(order('bad-key-1')), headers: { 'idempotency-key': 'has spaces' } }));

  expect(response.statusCode).toBe(400);
  expect(JSON.parse(response.body)).toMatchObject({ errors: [{ field: 'Idempotency-Key', message: expect.stringMatching(/^must be 1 to 255 printable ASCII/) }] });
  expect(env.proxy.calls).toHaveLength(0);
});
