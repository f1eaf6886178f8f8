/**
 * Correlation ids: read from the SQS message attribute `correlationId` (DataType String), or from
 * the `x-correlation-id` header / `correlationId` field of an order request, and carried as the
 * same attribute on every message published downstream. A missing or unusable id is replaced by
 * a new UUID; the caller logs that it did so.
 *
 * Hand-written rather than Powertools' `logger.setCorrelationId()`: that holds one id per logger
 * (per invocation), while one SQS batch carries a different id per record, and reading or
 * writing the id as a message attribute is ours to do anyway. The log key stays `correlationId`.
 */
import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

/** Name of the SQS message attribute (and the log key) holding the correlation id. */
export const CORRELATION_ID_ATTRIBUTE = 'correlationId';

/** HTTP header a caller of order-service may set. Function URL events have lower-case header names. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * Printable ASCII without spaces, 1–128 characters: ids go into log lines and message attributes,
 * so anything else (newlines, control characters, huge values) is replaced rather than propagated.
 */
const USABLE_CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

/** A correlation id and where it came from. */
export interface CorrelationId {
  readonly value: string;
  /** True when the input had no usable id and this one was generated. */
  readonly generated: boolean;
}

/** Uses `candidate` when it is a usable id, otherwise generates a new one. */
export function resolveCorrelationId(candidate: unknown): CorrelationId {
  if (typeof candidate === 'string' && USABLE_CORRELATION_ID.test(candidate)) {
    return { value: candidate, generated: false };
  }
  return { value: randomUUID(), generated: true };
}

/** The correlation id of an SQS record (its `correlationId` String attribute), or a new one. */
export function correlationIdOfRecord(record: Pick<SQSRecord, 'messageAttributes'>): CorrelationId {
  const attribute = record.messageAttributes?.[CORRELATION_ID_ATTRIBUTE];
  const value = attribute?.dataType === 'String' ? attribute.stringValue : undefined;
  return resolveCorrelationId(value);
}
