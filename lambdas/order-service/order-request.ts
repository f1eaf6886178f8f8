/**
 * Reading an order request: a Lambda function URL (IAM auth) POST whose JSON body is one order
 * or `{ "orders": [ … ] }`, with an optional `x-correlation-id` header; or a direct invocation
 * with `{ "orders": [ … ], "correlationId"?: "…" }`. Validation names every offending field.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { CORRELATION_ID_HEADER } from '../shared/correlation';
import { fieldIssuesOf, type FieldIssue } from '../shared/field-issues';
import { MAX_ORDER_LINES, OrderLineSchema } from '../shared/order-events';
import { identifier, listOf, record, timestamp } from '../shared/schema-rules';

/** Most orders in one request (keeps one invocation's publishing within a few requests and well inside the timeout). */
export const MAX_ORDERS_PER_REQUEST = 100;

/**
 * HTTP header naming a client's retry identity (function URL events have lower-case header names).
 * A direct invocation passes `idempotencyKey` instead.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Printable ASCII without spaces, 1–255 characters (what clients' UUIDs and request ids are). */
const USABLE_IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** One order as a caller submits it; `createdAt` defaults to the time the order is accepted. */
export const OrderInputSchema = record({
  orderId: identifier(),
  customerId: identifier(),
  items: listOf(OrderLineSchema, 1, MAX_ORDER_LINES),
  createdAt: z.optional(timestamp()),
});
export type OrderInput = z.output<typeof OrderInputSchema>;

/** Payload of a direct (SDK / CLI) invocation. */
export interface DirectOrderRequest {
  readonly orders: readonly unknown[];
  /** @default generated */
  readonly correlationId?: string;
  /** The caller's retry identity, as the `Idempotency-Key` header. @default none (each order's orderId is its key) */
  readonly idempotencyKey?: string;
}

/** What order-service is invoked with. */
export type OrderServiceEvent = LambdaFunctionURLEvent | DirectOrderRequest;

/** A request that could be read (its body still needs validating), or why it could not. */
export type ReadOrderRequest =
  | {
      readonly ok: true;
      readonly correlationIdCandidate: unknown;
      readonly payload: unknown;
      /** The `Idempotency-Key` header (or `idempotencyKey` field), when the caller sent one. */
      readonly idempotencyKey?: string;
    }
  | {
      readonly ok: false;
      readonly correlationIdCandidate: unknown;
      readonly statusCode: 400 | 405;
      readonly message: string;
      readonly errors: readonly FieldIssue[];
    };

/** True for a function URL (API Gateway HTTP API v2 format) event. */
export function isFunctionUrlEvent(event: unknown): event is LambdaFunctionURLEvent {
  const requestContext = (event as { requestContext?: { http?: unknown } } | null)?.requestContext;
  return typeof requestContext?.http === 'object' && requestContext.http !== null;
}

function headerValue(headers: LambdaFunctionURLEvent['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** Extracts the payload, correlation id candidate and idempotency key from either kind of invocation. */
export function readOrderRequest(event: OrderServiceEvent): ReadOrderRequest {
  if (!isFunctionUrlEvent(event)) {
    const direct = event as Partial<DirectOrderRequest> | null;
    const correlationIdCandidate = direct?.correlationId;
    const key = readIdempotencyKey(direct?.idempotencyKey, 'idempotencyKey');
    if (!key.ok) return { ok: false, correlationIdCandidate, statusCode: 400, message: 'invalid idempotency key', errors: [key.error] };
    return { ok: true, correlationIdCandidate, payload: event, ...(key.value ? { idempotencyKey: key.value } : {}) };
  }
  const correlationIdCandidate = headerValue(event.headers, CORRELATION_ID_HEADER);
  const method = event.requestContext.http.method.toUpperCase();
  if (method !== 'POST') {
    return { ok: false, correlationIdCandidate, statusCode: 405, message: `method ${method} is not allowed; send orders with POST`, errors: [] };
  }
  const key = readIdempotencyKey(headerValue(event.headers, IDEMPOTENCY_KEY_HEADER), 'Idempotency-Key');
  if (!key.ok) return { ok: false, correlationIdCandidate, statusCode: 400, message: 'invalid idempotency key', errors: [key.error] };
  const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  try {
    return { ok: true, correlationIdCandidate, payload: JSON.parse(text), ...(key.value ? { idempotencyKey: key.value } : {}) };
  } catch (error) {
    return {
      ok: false,
      correlationIdCandidate,
      statusCode: 400,
      message: 'request body is not valid JSON',
      errors: [{ field: 'body', message: `must be JSON: one order or {"orders": [...]} (${(error as Error).message})` }],
    };
  }
}

/** An absent key is fine; a present one must be usable (it is stored and compared, never replaced). */
function readIdempotencyKey(candidate: unknown, field: string): { ok: true; value?: string } | { ok: false; error: FieldIssue } {
  if (candidate === undefined) return { ok: true };
  if (typeof candidate === 'string' && USABLE_IDEMPOTENCY_KEY.test(candidate)) return { ok: true, value: candidate };
  return { ok: false, error: { field, message: 'must be 1 to 255 printable ASCII characters without spaces, e.g. a UUID' } };
}

/** The valid orders, or every field issue found (field paths like `orders[2].items[0].quantity`). */
export function validateOrders(payload: unknown): { ok: true; orders: OrderInput[] } | { ok: false; errors: FieldIssue[] } {
  const isObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
  if (!isObject) return { ok: false, errors: [{ field: '(root)', message: 'must be one order object or {"orders": [...]}' }] };

  const batch = 'orders' in (payload as object);
  const listed = (payload as { orders?: unknown }).orders;
  if (batch && (!Array.isArray(listed) || listed.length < 1 || listed.length > MAX_ORDERS_PER_REQUEST)) {
    return { ok: false, errors: [{ field: 'orders', message: `must be an array of 1 to ${MAX_ORDERS_PER_REQUEST} orders` }] };
  }
  const candidates: readonly unknown[] = batch ? (listed as unknown[]) : [payload];

  const orders: OrderInput[] = [];
  const errors: FieldIssue[] = [];
  const firstIndexOf = new Map<string, number>();
  candidates.forEach((candidate, index) => {
    const prefix = batch ? `orders[${index}]` : '';
    const result = OrderInputSchema.safeParse(candidate);
    if (!result.success) {
      errors.push(...fieldIssuesOf(result.error, prefix));
      return;
    }
    const earlier = firstIndexOf.get(result.data.orderId);
    if (earlier !== undefined) {
      errors.push({ field: `${prefix}${prefix ? '.' : ''}orderId`, message: `duplicates orders[${earlier}].orderId "${result.data.orderId}"` });
      return;
    }
    firstIndexOf.set(result.data.orderId, index);
    orders.push(result.data);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, orders };
}
