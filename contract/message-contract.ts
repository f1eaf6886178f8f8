/**
 * The message contract of the order pipeline, for producers and consumers outside this repository
 * (in any language): what goes in an SQS message body and which message attributes travel with it.
 * The zod schemas the Lambdas validate with (lambdas/shared/order-events.ts) are the one source; the
 * types are re-exported from there and the JSON Schema is derived from the same schemas, so the
 * three cannot disagree. `npm run contract` writes contract/order-events.schema.json; a test fails
 * when that file is stale.
 */
import * as z from 'zod/mini';
import { CORRELATION_ID_ATTRIBUTE } from '../lambdas/shared/correlation';
import { EVENT_VERSION } from '../lambdas/shared/envelope';
import { InventoryReservedSchema, OrderCreatedSchema, ShipmentScheduledSchema } from '../lambdas/shared/order-events';
import { EVENT_TYPE_ATTRIBUTE } from '../lambdas/shared/outgoing-message';

export type { EventEnvelope } from '../lambdas/shared/envelope';
export type {
  InventoryReserved,
  InventoryReservedData,
  OrderCreated,
  OrderCreatedData,
  OrderLine,
  OrderPipelineEvent,
  ShipmentScheduled,
  ShipmentScheduledData,
} from '../lambdas/shared/order-events';
export { CORRELATION_ID_ATTRIBUTE, EVENT_TYPE_ATTRIBUTE, EVENT_VERSION };

/** Each event type: the queue it travels on, who publishes it, who consumes it, its schema. */
export const EVENTS = {
  OrderCreated: { queue: 'order', producer: 'order-service', consumer: 'inventory-service', schema: OrderCreatedSchema },
  InventoryReserved: { queue: 'inventory', producer: 'inventory-service', consumer: 'shipping-service', schema: InventoryReservedSchema },
  ShipmentScheduled: { queue: 'notification', producer: 'shipping-service', consumer: 'notification-service', schema: ShipmentScheduledSchema },
} as const;

/** The SQS message attributes of every message (all `DataType: String`). */
export const MESSAGE_ATTRIBUTES = {
  [CORRELATION_ID_ATTRIBUTE]: {
    required: false,
    description:
      'Correlation id, 1–128 printable ASCII characters without spaces, copied onto every message published downstream and into every log line. ' +
      'Missing or unusable: the consumer generates one and logs that it did.',
  },
  [EVENT_TYPE_ATTRIBUTE]: {
    required: false,
    description: 'The event type (same as the body\'s "type"), so subscribers can filter without parsing the body.',
  },
} as const;

/**
 * The contract as one JSON Schema (draft 2020-12): a body is one of the events in `$defs`, and
 * `x-sqs` says per event which queue carries it and which message attributes go with it.
 */
export function messageContractJsonSchema(): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
  const sqs: Record<string, unknown> = {};
  for (const [type, event] of Object.entries(EVENTS)) {
    const { $schema: _schema, ...schema } = z.toJSONSchema(event.schema, { io: 'input' }) as Record<string, unknown>;
    definitions[type] = { title: type, description: `${type} (published by ${event.producer} to the ${event.queue} queue, consumed by ${event.consumer})`, ...schema };
    sqs[type] = { queue: event.queue, producer: event.producer, consumer: event.consumer };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:sqs-messaging-as-code:order-pipeline-events',
    title: 'Order pipeline events',
    description:
      `The JSON body of every SQS message of the order pipeline: an envelope (type, version ${EVENT_VERSION}, eventId, occurredAt, producer) around the event's data. ` +
      'Unknown fields are ignored by consumers (newer producers may add some). A body that is not valid JSON or does not match fails that record only; after maxReceiveCount receives it is in the DLQ.',
    oneOf: Object.keys(EVENTS).map((type) => ({ $ref: `#/$defs/${type}` })),
    $defs: definitions,
    'x-sqs': { messageAttributes: MESSAGE_ATTRIBUTES, events: sqs },
  };
}
