/**
 * The whole reference pipeline with the four BUNDLED services on the embedded SQS server:
 * order-service → order queue → inventory-service → inventory queue → shipping-service →
 * notification queue → notification-service, carrying one correlation id end to end.
 * Messages are received from each queue and handed to the next function as Lambda's event
 * source mapping would.
 */
import type { SQSBatchResponse } from 'aws-lambda';
import type { DirectInvokeResponse } from '../../lambdas/order-service/handler';
import { ShipmentScheduledSchema } from '../../lambdas/shared/order-events';
import { LambdaHarness } from '../support/lambda-harness';
import { useLambdaTestEnvironment } from '../support/lambda-test-environment';
import { sqsEventFromMessages } from '../support/sqs-test-events';
import { createTestQueue, receiveMessages } from '../support/sqs-test-queues';

const env = useLambdaTestEnvironment();

test('an order flows through all four services with one correlation id', async () => {
  const [orderQueue, inventoryQueue, notificationQueue] = await Promise.all(
    ['development-order-queue', 'development-inventory-queue', 'development-notification-queue'].map((name) => createTestQueue(env.client, env.sqs, name)),
  );
  const start = (service: ConstructorParameters<typeof LambdaHarness>[0]['service'], queueUrls: Record<string, string> = {}) => {
    const harness = new LambdaHarness({ service, endpoint: env.sqs.endpoint, region: env.sqs.region, queueUrls });
    env.track(harness);
    return harness;
  };
  const orderService = start('order-service', { ORDER_QUEUE_URL: orderQueue!.url });
  const inventoryService = start('inventory-service', { INVENTORY_QUEUE_URL: inventoryQueue!.url });
  const shippingService = start('shipping-service', { NOTIFICATION_QUEUE_URL: notificationQueue!.url });
  const notificationService = start('notification-service');

  const orders = [
    { orderId: 'order-small', customerId: 'customer-1', items: [{ sku: 'sku-1', quantity: 2 }] },
    { orderId: 'order-large', customerId: 'customer-2', items: [{ sku: 'sku-2', quantity: 15 }, { sku: 'sku-3', quantity: 10 }] },
  ];
  const accepted = await orderService.invokeOk<DirectInvokeResponse>({ orders, correlationId: 'journey-1' });
  expect(accepted).toMatchObject({ statusCode: 202, accepted: 2 });

  const forward = async (from: typeof orderQueue, to: LambdaHarness) => {
    const messages = await receiveMessages(env.client, from!.url, orders.length);
    expect(messages).toHaveLength(orders.length);
    const response = await to.invokeOk<SQSBatchResponse>(sqsEventFromMessages(from!.arn, messages));
    expect(response.batchItemFailures).toEqual([]);
    return messages;
  };
  await forward(orderQueue, inventoryService);
  await forward(inventoryQueue, shippingService);
  const shipments = await forward(notificationQueue, notificationService);

  const scheduled = shipments.map((message) => ShipmentScheduledSchema.parse(JSON.parse(message.Body!)).data);
  expect(Object.fromEntries(scheduled.map((shipment) => [shipment.orderId, [shipment.carrier, shipment.totalQuantity]]))).toEqual({
    'order-small': ['parcel', 2],
    'order-large': ['freight', 25],
  });
  const notifications = notificationService.logsStartingWith('notification sent');
  expect(notifications.map((line) => [line.orderId, line.correlationId]).sort()).toEqual([
    ['order-large', 'journey-1'],
    ['order-small', 'journey-1'],
  ]);
  // Every service logged with the same correlation id.
  for (const harness of [orderService, inventoryService, shippingService, notificationService]) {
    const ids = new Set(harness.records().filter((line) => 'correlationId' in line).map((line) => line.correlationId));
    expect(ids).toEqual(new Set(['journey-1']));
  }
});
