/**
 * SQS size accounting. SQS counts a message as its body plus, for every message attribute, the
 * bytes of its name, data type and value (all UTF-8). One SendMessageBatch request may carry at
 * most 10 entries and at most 1 MiB in total (the sum of its messages' sizes).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
import type { PublishMessage } from './publish-types';

/** Largest message SQS accepts: 1 MiB (since August 2025; was 256 KiB). */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** Largest SendMessageBatch payload (sum of the messages' sizes): 1 MiB. */
export const SQS_MAX_BATCH_BYTES = 1_048_576;
/** Most entries in one SendMessageBatch request. */
export const SQS_MAX_BATCH_ENTRIES = 10;
/** Most message attributes on one message. */
export const SQS_MAX_MESSAGE_ATTRIBUTES = 10;

/** Data type every attribute we send has. */
export const STRING_ATTRIBUTE_TYPE = 'String';

/** Size of `message` as SQS counts it, in bytes. */
export function messageSizeBytes(message: Pick<PublishMessage, 'body' | 'attributes'>): number {
  let bytes = Buffer.byteLength(message.body, 'utf8');
  for (const [name, value] of Object.entries(message.attributes ?? {})) {
    bytes += Buffer.byteLength(name, 'utf8') + STRING_ATTRIBUTE_TYPE.length + Buffer.byteLength(value, 'utf8');
  }
  return bytes;
}
