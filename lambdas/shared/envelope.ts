/**
 * The envelope every event body has on the wire (JSON in the SQS message body):
 *
 * ```json
 * { "type": "OrderCreated", "version": 1, "eventId": "…32 hex…", "occurredAt": "2025-11-23T10:15:00.000Z",
 *   "producer": "order-service", "data": { … } }
 * ```
 *
 * The correlation id is not in the body: it travels as the `correlationId` message attribute, so
 * it can be read (and logged) even when the body is not valid JSON.
 */
import * as z from 'zod/mini';
import { deterministicId } from './deterministic-id';
import { identifier, record, timestamp } from './schema-rules';

/** Version of the envelope and event payloads; bump on an incompatible change. */
export const EVENT_VERSION = 1;

/** An event as published: type, identity, time, producer and its payload. */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  /** Event type, e.g. `OrderCreated`. */
  readonly type: TType;
  /** Payload version, {@link EVENT_VERSION}. */
  readonly version: typeof EVENT_VERSION;
  /** Deterministic id (see {@link createEnvelope}); also the FIFO deduplication id. */
  readonly eventId: string;
  /** When the event happened, ISO 8601. */
  readonly occurredAt: string;
  /** Service that published it (`POWERTOOLS_SERVICE_NAME`). */
  readonly producer: string;
  readonly data: TData;
}

/** The schema of an envelope of `type` carrying `data`. */
export function envelopeSchema<TType extends string, TData extends z.core.SomeType>(type: TType, data: TData) {
  return record({
    type: z.literal(type, `must be "${type}"`),
    version: z.literal(EVENT_VERSION, `must be ${EVENT_VERSION}`),
    eventId: identifier(),
    occurredAt: timestamp(),
    producer: identifier(),
    data,
  });
}

/** What {@link createEnvelope} needs. */
export interface NewEvent<TType extends string, TData> {
  readonly type: TType;
  readonly data: TData;
  /**
   * What caused the event: the orderId for OrderCreated, the upstream eventId for the others.
   * The eventId is derived from `type` and this key, so a redelivered message or a retried
   * request produces the same eventId (and FIFO queues deduplicate it).
   */
  readonly causationKey: string;
  readonly producer: string;
  /** @default new Date() */
  readonly occurredAt?: Date;
}

/** Wraps a payload in an envelope with a deterministic eventId. */
export function createEnvelope<TType extends string, TData>(event: NewEvent<TType, TData>): EventEnvelope<TType, TData> {
  return {
    type: event.type,
    version: EVENT_VERSION,
    eventId: deterministicId(event.type, event.causationKey),
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    producer: event.producer,
    data: event.data,
  };
}
