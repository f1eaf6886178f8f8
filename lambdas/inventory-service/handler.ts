/**
 * inventory-service: consumes `OrderCreated` from the order queue, reserves stock and publishes
 * `InventoryReserved` to the inventory queue (`INVENTORY_QUEUE_URL`). Partial batch responses.
 */
import { createSqsConsumer } from '../shared/consumer';
import { requiredEnv, serviceName } from '../shared/env';
import { OrderCreatedSchema } from '../shared/order-events';
import { SqsPublisher } from '../shared/publisher';
import { sqsClient } from '../shared/sqs-client';
import { reserveInventory } from './reserve-inventory';

export const handler = createSqsConsumer({
  inputName: 'OrderCreated',
  inputSchema: OrderCreatedSchema,
  handle: (order) => reserveInventory(order, serviceName()),
  output: { queueUrl: requiredEnv('INVENTORY_QUEUE_URL'), publisher: new SqsPublisher({ client: sqsClient }) },
});
