/**
 * order-service through its BUNDLE in a local Lambda execution environment: function URL and
 * direct invocations, validation, and publishing to the embedded SQS server (through a
 * fault-injecting proxy where failures are needed).
 */
import type { LambdaFunctionURLResult } from 'aws-lambda';
import type { DirectInvokeResponse, RejectionBody, SubmissionBody } from '../../lambdas/order-service/handler';
import { OrderCreatedSchema } from '../../lambdas/shared/order-events';
import { functionUrlEvent } from '../support/function-url-events';
import { LambdaHarness } from '../support/lambda-harness';
import { useLambdaTestEnvironment } from '../support/lambda-test-environment';
import { createTestQueue, receiveMessages, type TestQueue } from '../support/sqs-test-queues';

const env = useLambdaTestEnvironment();

async function startOrderService(endpoint = env.sqs.endpoint): Promise<{ service: LambdaHarness; orderQueue: TestQueue }> {
  const orderQueue = await createTestQueue(env.client, env.sqs, 'order');
  const service = new LambdaHarness({ service: 'order-service', endpoint, region: env.sqs.region, queueUrls: { ORDER_QUEUE_URL: orderQueue.url } });
  env.track(service);
  return { service, orderQueue };
}

const order = (orderId: string, extra: Record<string, unknown> = {}) => ({
  orderId,
  customerId: 'customer-7',
  items: [
    { sku: 'sku-red', quantity: 1 },
    { sku: 'sku-blue', quantity: 3 },
  ],
  ...extra,
});

function bodyOf<T>(response: LambdaFunctionURLResult): T {
  return JSON.parse((response as { body: string }).body) as T;
}

test('function URL POST of a valid order: 202, and OrderCreated arrives on the order queue with the x-correlation-id', async () => {
  const { service, orderQueue } = await startOrderService();

  const response = await service.invokeOk<LambdaFunctionURLResult & { statusCode: number; headers: Record<string, string> }>(
    functionUrlEvent({ body: JSON.stringify(order('order-100', { createdAt: '2025-11-23T09:00:00Z' })), headers: { 'x-correlation-id': 'checkout-42' } }),
  );

  expect(response.statusCode).toBe(202);
  expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-correlation-id': 'checkout-42' });
  const body = bodyOf<SubmissionBody>(response);
  expect(body).toMatchObject({ correlationId: 'checkout-42', accepted: 1, failed: 0, results: [{ orderId: 'order-100', status: 'accepted' }] });
  const [message] = await receiveMessages(env.client, orderQueue.url, 1);
  const event = OrderCreatedSchema.parse(JSON.parse(message!.Body!));
  expect(event.data).toEqual({ ...order('order-100'), createdAt: '2025-11-23T09:00:00Z' });
  expect(event.producer).toBe('order-service');
  expect(message!.MessageAttributes).toMatchObject({
    correlationId: { DataType: 'String', StringValue: 'checkout-42' },
    eventType: { DataType: 'String', StringValue: 'OrderCreated' },
  });
  expect(body.results[0]).toEqual({ orderId: 'order-100', status: 'accepted', eventId: event.eventId, messageId: message!.MessageId });
});

test('function URL POST of {orders:[...]} with a base64 body: a result per order', async () => {
  const { service, orderQueue } = await startOrderService();

  const response = await service.invokeOk<LambdaFunctionURLResult & { statusCode: number }>(
    functionUrlEvent({ body: JSON.stringify({ orders: [order('order-1'), order('order-2'), order('order-3')] }), base64: true }),
  );

  expect(response.statusCode).toBe(202);
  const body = bodyOf<SubmissionBody>(response);
  expect(body.results.map((result) => [result.orderId, result.status])).toEqual([
    ['order-1', 'accepted'],
    ['order-2', 'accepted'],
    ['order-3', 'accepted'],
  ]);
  const messages = await receiveMessages(env.client, orderQueue.url, 3);
  expect(messages).toHaveLength(3);
  expect(new Set(messages.map((message) => message.MessageAttributes?.correlationId?.StringValue))).toEqual(new Set([body.correlationId]));
});

test('invalid input: 400 naming each offending field, and nothing is published', async () => {
  const { service, orderQueue } = await startOrderService();
  const invalid = { orderId: 'order-2', items: [{ sku: 'sku-red', quantity: 0 }], createdAt: 'yesterday' };

  const response = await service.invokeOk<LambdaFunctionURLResult & { statusCode: number }>(
    functionUrlEvent({ body: JSON.stringify({ orders: [order('order-1'), invalid, order('order-1')] }) }),
  );

  expect(response.statusCode).toBe(400);
  const body = bodyOf<RejectionBody>(response);
  expect(body.message).toBe('invalid order request');
  expect(body.errors).toEqual([
    { field: 'orders[1].customerId', message: 'is required' },
    { field: 'orders[1].items[0].quantity', message: 'must be an integer between 1 and 1000' },
    { field: 'orders[1].createdAt', message: 'must be an ISO 8601 date-time such as 2025-11-23T10:15:00Z' },
    { field: 'orders[2].orderId', message: 'duplicates orders[0].orderId "order-1"' },
  ]);
  expect(await receiveMessages(env.client, orderQueue.url, 1, { timeoutMs: 300 })).toHaveLength(0);
});

test('a body that is not JSON gets 400 and a GET gets 405', async () => {
  const { service } = await startOrderService();

  const notJson = await service.invokeOk<LambdaFunctionURLResult & { statusCode: number }>(functionUrlEvent({ body: 'orderId=1' }));
  const get = await service.invokeOk<LambdaFunctionURLResult & { statusCode: number; headers: Record<string, string> }>(functionUrlEvent({ method: 'GET' }));

  expect(notJson.statusCode).toBe(400);
  expect(bodyOf<RejectionBody>(notJson).errors[0]!.field).toBe('body');
  expect(get.statusCode).toBe(405);
  expect(get.headers.allow).toBe('POST');
});

test('direct invocation {orders:[...]} without a correlation id: 202, and the generated id is logged and carried', async () => {
  const { service, orderQueue } = await startOrderService();

  const response = await service.invokeOk<DirectInvokeResponse>({ orders: [order('order-direct')] });

  expect(response).toMatchObject({ statusCode: 202, accepted: 1, failed: 0 });
  const [generated] = service.logsStartingWith('request has no usable correlation id');
  expect(generated!.correlationId).toBe(response.correlationId);
  const [message] = await receiveMessages(env.client, orderQueue.url, 1);
  expect(message!.MessageAttributes?.correlationId?.StringValue).toBe(response.correlationId);
});

test('some entries failed by SQS: only they are retried, and the response has a result per order (fault-injecting proxy)', async () => {
  const { service, orderQueue } = await startOrderService(env.proxy.endpoint);
  env.proxy.clearCalls();
  env.proxy.setFailEntry((entry, call) => {
    if (entry.MessageBody.includes('"orderId":"order-3"')) return { code: 'InvalidParameterValue', message: 'injected permanent', senderFault: true };
    if (call === 1 && entry.MessageBody.includes('"orderId":"order-2"')) return { code: 'ServiceUnavailable', message: 'injected transient', senderFault: false };
    return undefined;
  });

  const response = await service.invokeOk<DirectInvokeResponse>({ orders: [order('order-1'), order('order-2'), order('order-3')], correlationId: 'batch-9' });

  expect(env.proxy.calls.map((call) => call.entries.map((entry) => JSON.parse(entry.MessageBody).data.orderId))).toEqual([
    ['order-1', 'order-2', 'order-3'],
    ['order-2'],
  ]);
  expect(response).toMatchObject({ statusCode: 207, correlationId: 'batch-9', accepted: 2, failed: 1 });
  expect((response as SubmissionBody).results).toEqual([
    expect.objectContaining({ orderId: 'order-1', status: 'accepted' }),
    expect.objectContaining({ orderId: 'order-2', status: 'accepted' }),
    { orderId: 'order-3', status: 'failed', code: 'InvalidParameterValue', reason: 'injected permanent' },
  ]);
  const messages = await receiveMessages(env.client, orderQueue.url, 2);
  expect(messages.map((message) => JSON.parse(message.Body!).data.orderId).sort()).toEqual(['order-1', 'order-2']);
  env.proxy.setFailEntry(undefined);
});
