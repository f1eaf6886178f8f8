/** inventory-service's business logic: reserve every line of an order in one warehouse (deterministic, no I/O). */
import { deterministicChoice, deterministicId } from '../shared/deterministic-id';
import { createEnvelope } from '../shared/envelope';
import type { InventoryReserved, OrderCreated } from '../shared/order-events';

/** Warehouses stock can be reserved in; an order goes to one chosen from its orderId. */
export const WAREHOUSES = ['dc-east', 'dc-central', 'dc-west'] as const;

/** The `InventoryReserved` event for `order`, published by `producer` at `now`. */
export function reserveInventory(order: OrderCreated, producer: string, now: Date = new Date()): InventoryReserved {
  const { orderId, customerId, items } = order.data;
  return createEnvelope({
    type: 'InventoryReserved',
    causationKey: order.eventId,
    producer,
    occurredAt: now,
    data: {
      orderId,
      customerId,
      reservationId: `res-${deterministicId('reservation', orderId).slice(0, 16)}`,
      warehouse: deterministicChoice(orderId, WAREHOUSES),
      items: items.map(({ sku, quantity }) => ({ sku, quantity })),
      reservedAt: now.toISOString(),
    },
  });
}
