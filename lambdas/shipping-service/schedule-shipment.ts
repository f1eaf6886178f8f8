/** shipping-service's business logic: pick a carrier by size and promise a delivery date (deterministic, no I/O). */
import { deterministicId } from '../shared/deterministic-id';
import { createEnvelope } from '../shared/envelope';
import type { Carrier, InventoryReserved, ShipmentScheduled } from '../shared/order-events';

/** Orders of more units than this go by freight. */
export const PARCEL_MAX_UNITS = 20;
/** Days from reservation to delivery per carrier. */
export const TRANSIT_DAYS: Readonly<Record<Carrier, number>> = { parcel: 2, freight: 5 };

const DAY_MS = 86_400_000;

/** The `ShipmentScheduled` event for `reservation`, published by `producer` at `now`. */
export function scheduleShipment(reservation: InventoryReserved, producer: string, now: Date = new Date()): ShipmentScheduled {
  const { orderId, customerId, warehouse, items, reservedAt } = reservation.data;
  const totalQuantity = items.reduce((sum, item) => sum + item.quantity, 0);
  const carrier: Carrier = totalQuantity > PARCEL_MAX_UNITS ? 'freight' : 'parcel';
  // Counted from the reservation, not from now, so a redelivered message promises the same date.
  const estimatedDeliveryDate = new Date(Date.parse(reservedAt) + TRANSIT_DAYS[carrier] * DAY_MS).toISOString().slice(0, 10);
  return createEnvelope({
    type: 'ShipmentScheduled',
    causationKey: reservation.eventId,
    producer,
    occurredAt: now,
    data: {
      orderId,
      customerId,
      shipmentId: `shp-${deterministicId('shipment', orderId).slice(0, 16)}`,
      warehouse,
      carrier,
      totalQuantity,
      estimatedDeliveryDate,
      scheduledAt: now.toISOString(),
    },
  });
}
