/**
 * The consumer runtime, through the BUNDLED inventory-service in a local Lambda execution
 * environment, against the embedded SQS server (and a fault-injecting proxy in front of it).
 */
import type { SQSBatchResponse } from 'aws-lambda';
import { InventoryReservedSchema } from '../../lambdas/shared/order-events';
import { LambdaHarness } from '../support/lambda-harness';
import { useLambdaTestEnvironment } from '../support/lambda-test-environment';
import { orderCreatedBody } from '../support/order-fixtures';
import { localQueueArn } from '../../local/sqs-client';
import { sqsTestEvent } from '../support/sqs-test-events';
import { createTestQueue, receiveMessages, type TestQueue } from '../support/sqs-test-queues';

const env = useLambdaTestEnvironment();

const ORDER_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:development-order-queue';
const FIFO_ORDER_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:development-order-queue.fifo';

/** inventory-service publishing to a fresh queue, through the fault env.proxy. */
async function startInventoryService(): Promise<{ service: LambdaHarness; output: TestQueue }> {
  const output = await createTestQueue(env.client, env.sqs, 'inventory');
  const service = new LambdaHarness({
    service: 'inventory-service',
    endpoint: env.proxy.endpoint,
    region: env.sqs.region,
    queueUrls: { INVENTORY_QUEUE_URL: output.url },
  });
  env.track(service);
  return { service, output };
}

function failedIds(response: SQSBatchResponse): string[] {
  return response.batchItemFailures.map((failure) => failure.itemIdentifier);
}

function attribute(message: { MessageAttributes?: Record<string, { StringValue?: string }> }, name: string): string | undefined {
  return message.MessageAttributes?.[name]?.StringValue;
}

test('a good batch of 10: no failures, one SendMessageBatch, every InventoryReserved arrives with its correlation id', async () => {
  const { service, output } = await startInventoryService();
  const event = sqsTestEvent(
    ORDER_QUEUE_ARN,
    Array.from({ length: 10 }, (_, index) => ({ body: orderCreatedBody(`order-${index}`), correlationId: `corr-${index}` })),
  );

  const response = await service.invokeOk<SQSBatchResponse>(event);

  expect(response).toEqual({ batchItemFailures: [] });
  expect(env.proxy.calls).toHaveLength(1);
  expect(env.proxy.calls[0]!.entries).toHaveLength(10);
  const messages = await receiveMessages(env.client, output.url, 10);
  expect(messages).toHaveLength(10);
  const correlationByOrder = Object.fromEntries(
    messages.map((message) => {
      const event = InventoryReservedSchema.parse(JSON.parse(message.Body!));
      expect(attribute(message, 'eventType')).toBe('InventoryReserved');
      expect(event.producer).toBe('inventory-service');
      return [event.data.orderId, attribute(message, 'correlationId')];
    }),
  );
  expect(correlationByOrder).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`order-${index}`, `corr-${index}`])));
});

test('a batch with one malformed body reports exactly that record, with one log line naming it', async () => {
  const { service, output } = await startInventoryService();
  const event = sqsTestEvent(ORDER_QUEUE_ARN, [
    { body: orderCreatedBody('order-a'), correlationId: 'corr-a' },
    { body: '{"type":"OrderCreated","data":', correlationId: 'corr-bad' },
    { body: orderCreatedBody('order-c'), correlationId: 'corr-c' },
  ]);
  const malformedId = event.Records[1]!.messageId;

  const response = await service.invokeOk<SQSBatchResponse>(event);

  expect(failedIds(response)).toEqual([malformedId]);
  const linesAboutIt = service.records().filter((record) => record.messageId === malformedId);
  expect(linesAboutIt).toHaveLength(1);
  expect(linesAboutIt[0]).toMatchObject({ level: 'ERROR', correlationId: 'corr-bad', expectedEvent: 'OrderCreated' });
  expect(linesAboutIt[0]!.message).toMatch(/^invalid message: body is not valid JSON/);
  const messages = await receiveMessages(env.client, output.url, 2);
  expect(messages.map((message) => JSON.parse(message.Body!).data.orderId).sort()).toEqual(['order-a', 'order-c']);
});

test('a body that fails the schema is reported failed and its log line names the field', async () => {
  const { service } = await startInventoryService();
  const event = sqsTestEvent(ORDER_QUEUE_ARN, [
    { body: orderCreatedBody('order-ok'), correlationId: 'corr-ok' },
    { body: orderCreatedBody('order-zero', { items: [{ sku: 'sku-1', quantity: 0 }] }), correlationId: 'corr-zero' },
  ]);

  const response = await service.invokeOk<SQSBatchResponse>(event);

  expect(failedIds(response)).toEqual([event.Records[1]!.messageId]);
  const [line] = service.logsStartingWith('invalid message');
  expect(line!.message).toContain('data.items[0].quantity: must be an integer between 1 and 1000');
});

test('a message without a correlationId attribute gets a generated one, logged and propagated downstream', async () => {
  const { service, output } = await startInventoryService();
  const event = sqsTestEvent(ORDER_QUEUE_ARN, [{ body: orderCreatedBody('order-anonymous') }]);

  const response = await service.invokeOk<SQSBatchResponse>(event);

  expect(response.batchItemFailures).toEqual([]);
  const [warning] = service.logsStartingWith('message has no usable correlationId');
  expect(warning).toMatchObject({ level: 'WARN', messageId: event.Records[0]!.messageId });
  expect(warning!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  const [message] = await receiveMessages(env.client, output.url, 1);
  expect(attribute(message!, 'correlationId')).toBe(warning!.correlationId);
});

test('FIFO batch: a failure in one message group fails the rest of that group only', async () => {
  const { service, output } = await startInventoryService();
  const event = sqsTestEvent(FIFO_ORDER_QUEUE_ARN, [
    { body: orderCreatedBody('a-1'), messageGroupId: 'group-a', correlationId: 'corr-a1' },
    { body: orderCreatedBody('b-1'), messageGroupId: 'group-b', correlationId: 'corr-b1' },
    { body: 'not json at all', messageGroupId: 'group-a', correlationId: 'corr-a2' },
    { body: orderCreatedBody('b-2'), messageGroupId: 'group-b', correlationId: 'corr-b2' },
    { body: orderCreatedBody('a-3'), messageGroupId: 'group-a', correlationId: 'corr-a3' },
    { body: orderCreatedBody('b-3'), messageGroupId: 'group-b', correlationId: 'corr-b3' },
  ]);
  const [a1, , a2, , a3] = event.Records.map((record) => record.messageId);

  const response = await service.invokeOk<SQSBatchResponse>(event);

  expect(failedIds(response)).toEqual([a2, a3]);
  expect(failedIds(response)).not.toContain(a1);
  // a-3 was skipped, not processed: only the group-b records and a-1 were published.
  const messages = await receiveMessages(env.client, output.url, 4);
  expect(messages.map((message) => JSON.parse(message.Body!).data.orderId).sort()).toEqual(['a-1', 'b-1', 'b-2', 'b-3']);
  expect(service.logsStartingWith('invalid message')).toHaveLength(1);
});

test('a permanently failed downstream publish fails exactly that record (fault-injecting proxy)', async () => {
  const { service, output } = await startInventoryService();
  env.proxy.setFailEntry((entry) =>
    entry.MessageBody.includes('"orderId":"order-3"')
      ? { code: 'InvalidParameterValue', message: 'injected permanent failure', senderFault: true }
      : undefined,
  );
  const event = sqsTestEvent(
    ORDER_QUEUE_ARN,
    ['order-1', 'order-2', 'order-3', 'order-4'].map((orderId) => ({ body: orderCreatedBody(orderId), correlationId: `corr-${orderId}` })),
  );

  const response = await service.invokeOk<SQSBatchResponse>(event);

  expect(failedIds(response)).toEqual([event.Records[2]!.messageId]);
  expect(env.proxy.calls).toHaveLength(1); // a sender fault is not retried
  const [line] = service.logsStartingWith('downstream publish failed');
  expect(line).toMatchObject({ level: 'ERROR', messageId: event.Records[2]!.messageId, correlationId: 'corr-order-3', code: 'InvalidParameterValue' });
  const messages = await receiveMessages(env.client, output.url, 3);
  expect(messages.map((message) => JSON.parse(message.Body!).data.orderId).sort()).toEqual(['order-1', 'order-2', 'order-4']);
});

test('a transient downstream failure is retried for that entry only and the batch succeeds (fault-injecting proxy)', async () => {
  const { service, output } = await startInventoryService();
  env.proxy.setFailEntry((entry, call) =>
    call === 1 && entry.MessageBody.includes('"orderId":"order-2"')
      ? { code: 'InternalError', message: 'injected transient failure', senderFault: false }
      : undefined,
  );
  const event = sqsTestEvent(
    ORDER_QUEUE_ARN,
    ['order-1', 'order-2', 'order-3'].map((orderId) => ({ body: orderCreatedBody(orderId), correlationId: `corr-${orderId}` })),
  );

  const response = await service.invokeOk<SQSBatchResponse>(event);

  expect(response.batchItemFailures).toEqual([]);
  expect(env.proxy.calls.map((call) => call.entries.length)).toEqual([3, 1]);
  expect(env.proxy.calls[1]!.entries[0]!.MessageBody).toContain('"orderId":"order-2"');
  const messages = await receiveMessages(env.client, output.url, 3);
  expect(messages).toHaveLength(3);
});

test('FIFO: a failed publish fails the later records of its group only (fault-injecting proxy)', async () => {
  const { service } = await startInventoryService();
  env.proxy.setFailEntry((entry) =>
    entry.MessageBody.includes('"orderId":"a-1"') ? { code: 'InvalidParameterValue', message: 'injected', senderFault: true } : undefined,
  );
  const event = sqsTestEvent(localQueueArn('us-east-1', 'orders.fifo'), [
    { body: orderCreatedBody('a-1'), messageGroupId: 'group-a', correlationId: 'corr-a1' },
    { body: orderCreatedBody('b-1'), messageGroupId: 'group-b', correlationId: 'corr-b1' },
    { body: orderCreatedBody('a-2'), messageGroupId: 'group-a', correlationId: 'corr-a2' },
  ]);
  const [a1, , a2] = event.Records.map((record) => record.messageId);

  const response = await service.invokeOk<SQSBatchResponse>(event);

  expect(failedIds(response)).toEqual([a1, a2]);
});
