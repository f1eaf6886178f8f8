/**
 * shipping-service: consumes `InventoryReserved` from the inventory queue, schedules the shipment
 * and publishes `ShipmentScheduled` to the notification queue (`NOTIFICATION_QUEUE_URL`).
 */
import { createSqsConsumer } from '../shared/consumer';
import { requiredEnv, serviceName } from '../shared/env';
import { InventoryReservedSchema } from '../shared/order-events';
import { SqsPublisher } from '../shared/publisher';
import { sqsClient } from '../shared/sqs-client';
import { scheduleShipment } from './schedule-shipment';

export const handler = createSqsConsumer({
  inputName: 'InventoryReserved',
  inputSchema: InventoryReservedSchema,
  handle: (reservation) => scheduleShipment(reservation, serviceName()),
  output: { queueUrl: requiredEnv('NOTIFICATION_QUEUE_URL'), publisher: new SqsPublisher({ client: sqsClient }) },
});
