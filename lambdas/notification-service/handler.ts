/**
 * notification-service: consumes `ShipmentScheduled` from the notification queue and notifies the
 * customer. The notification is simulated: one structured "notification sent" log line per
 * shipment, with orderId and correlationId. Publishes nothing.
 */
import { createSqsConsumer } from '../shared/consumer';
import { logger } from '../shared/logger';
import { MetricName, metrics, MetricUnit } from '../shared/metrics';
import { ShipmentScheduledSchema } from '../shared/order-events';

export const handler = createSqsConsumer({
  inputName: 'ShipmentScheduled',
  inputSchema: ShipmentScheduledSchema,
  handle: (shipment, record) => {
    const { orderId, customerId, shipmentId, carrier, estimatedDeliveryDate } = shipment.data;
    logger.info('notification sent', {
      orderId,
      correlationId: record.correlationId,
      messageId: record.messageId,
      customerId,
      shipmentId,
      carrier,
      estimatedDeliveryDate,
      channel: 'email',
    });
    metrics.addMetric(MetricName.NotificationsSent, MetricUnit.Count, 1);
    return undefined;
  },
});
