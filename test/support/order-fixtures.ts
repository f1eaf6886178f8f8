/** Event bodies of the order pipeline for tests, built with the same envelope code the services use. */
import { createEnvelope } from '../../lambdas/shared/envelope';
import type { InventoryReservedData, OrderCreatedData, ShipmentScheduledData } from '../../lambdas/shared/order-events';

const FIXED_TIME = new Date('2025-11-23T10:15:00.000Z');

/** An `OrderCreated` JSON body for `orderId` (one line, quantity 2, unless overridden). */
export function orderCreatedBody(orderId: string, data: Partial<OrderCreatedData> = {}): string {
  return JSON.stringify(
    createEnvelope({
      type: 'OrderCreated',
      causationKey: orderId,
      producer: 'order-service',
      occurredAt: FIXED_TIME,
      data: { orderId, customerId: 'customer-1', items: [{ sku: 'sku-1', quantity: 2 }], createdAt: FIXED_TIME.toISOString(), ...data },
    }),
  );
}

/** An `InventoryReserved` JSON body for `orderId`. */
export function inventoryReservedBody(orderId: string, data: Partial<InventoryReservedData> = {}): string {
  return JSON.stringify(
    createEnvelope({
      type: 'InventoryReserved',
      causationKey: `${orderId}-created`,
      producer: 'inventory-service',
      occurredAt: FIXED_TIME,
      data: {
        orderId,
        customerId: 'customer-1',
        reservationId: `res-${orderId}`,
        warehouse: 'dc-east',
        items: [{ sku: 'sku-1', quantity: 2 }],
        reservedAt: FIXED_TIME.toISOString(),
        ...data,
      },
    }),
  );
}

/** A `ShipmentScheduled` JSON body for `orderId`. */
export function shipmentScheduledBody(orderId: string, data: Partial<ShipmentScheduledData> = {}): string {
  return JSON.stringify(
    createEnvelope({
      type: 'ShipmentScheduled',
      causationKey: `${orderId}-reserved`,
      producer: 'shipping-service',
      occurredAt: FIXED_TIME,
      data: {
        orderId,
        customerId: 'customer-1',
        shipmentId: `shp-${orderId}`,
        warehouse: 'dc-east',
        carrier: 'parcel',
        totalQuantity: 2,
        estimatedDeliveryDate: '2025-11-25',
        scheduledAt: FIXED_TIME.toISOString(),
        ...data,
      },
    }),
  );
}
