/** Turning an event into the SQS message that carries it. */
import { CORRELATION_ID_ATTRIBUTE } from './correlation';
import type { EventEnvelope } from './envelope';
import type { PublishMessage } from './publish-types';

/** Message attribute holding the event type (lets subscribers filter without parsing the body). */
export const EVENT_TYPE_ATTRIBUTE = 'eventType';

/**
 * The message for `event`: JSON body, `correlationId` and `eventType` String attributes, and for
 * FIFO queues the orderId as message group (one order's events stay in order) and the
 * deterministic eventId as deduplication id. `key` is echoed in the publish result.
 */
export function toPublishMessage(key: string, event: EventEnvelope<string, { readonly orderId: string }>, correlationId: string): PublishMessage {
  return {
    key,
    body: JSON.stringify(event),
    attributes: { [CORRELATION_ID_ATTRIBUTE]: correlationId, [EVENT_TYPE_ATTRIBUTE]: event.type },
    messageGroupId: event.data.orderId,
    deduplicationId: event.eventId,
  };
}
