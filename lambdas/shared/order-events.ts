/**
 * The events of the order pipeline and their schemas:
 * order-service → `OrderCreated` → inventory-service → `InventoryReserved` → shipping-service →
 * `ShipmentScheduled` → notification-service. Every event carries `orderId` (the FIFO message
 * group id) and `customerId`.
 */
import * as z from 'zod/mini';
import { envelopeSchema, type EventEnvelope } from './envelope';
import { calendarDate, identifier, integerBetween, listOf, record, timestamp } from './schema-rules';

/** Most lines one order may have. */
export const MAX_ORDER_LINES = 50;
/** Largest quantity of one line. */
export const MAX_LINE_QUANTITY = 1_000;

/** One order line: a SKU and a positive integer quantity (1–1,000). */
export const OrderLineSchema = record({
  sku: identifier(),
  quantity: integerBetween(1, MAX_LINE_QUANTITY),
});
export type OrderLine = z.output<typeof OrderLineSchema>;

/** Payload of `OrderCreated`. */
export const OrderCreatedDataSchema = record({
  orderId: identifier(),
  customerId: identifier(),
  /** 1–50 lines. */
  items: listOf(OrderLineSchema, 1, MAX_ORDER_LINES),
  /** When the customer placed the order. */
  createdAt: timestamp(),
});
export type OrderCreatedData = z.output<typeof OrderCreatedDataSchema>;

/** Payload of `InventoryReserved`. */
export const InventoryReservedDataSchema = record({
  orderId: identifier(),
  customerId: identifier(),
  reservationId: identifier(),
  /** Warehouse holding the reserved stock. */
  warehouse: identifier(),
  items: listOf(OrderLineSchema, 1, MAX_ORDER_LINES),
  reservedAt: timestamp(),
});
export type InventoryReservedData = z.output<typeof InventoryReservedDataSchema>;

/** Carriers shipping-service chooses from. */
export const CARRIERS = ['parcel', 'freight'] as const;
export type Carrier = (typeof CARRIERS)[number];

/** Payload of `ShipmentScheduled`. */
export const ShipmentScheduledDataSchema = record({
  orderId: identifier(),
  customerId: identifier(),
  shipmentId: identifier(),
  warehouse: identifier(),
  carrier: z.enum(CARRIERS, `must be one of ${CARRIERS.join(', ')}`),
  /** Units in the shipment. */
  totalQuantity: integerBetween(1, MAX_ORDER_LINES * MAX_LINE_QUANTITY),
  /** Calendar date the customer can expect the parcel. */
  estimatedDeliveryDate: calendarDate(),
  scheduledAt: timestamp(),
});
export type ShipmentScheduledData = z.output<typeof ShipmentScheduledDataSchema>;

export const OrderCreatedSchema = envelopeSchema('OrderCreated', OrderCreatedDataSchema);
export const InventoryReservedSchema = envelopeSchema('InventoryReserved', InventoryReservedDataSchema);
export const ShipmentScheduledSchema = envelopeSchema('ShipmentScheduled', ShipmentScheduledDataSchema);

export type OrderCreated = EventEnvelope<'OrderCreated', OrderCreatedData>;
export type InventoryReserved = EventEnvelope<'InventoryReserved', InventoryReservedData>;
export type ShipmentScheduled = EventEnvelope<'ShipmentScheduled', ShipmentScheduledData>;

/** Any event of the pipeline. */
export type OrderPipelineEvent = OrderCreated | InventoryReserved | ShipmentScheduled;
