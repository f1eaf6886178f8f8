/**
 * order-service: accepts orders (function URL with IAM auth, or direct invocation), validates
 * them and publishes one `OrderCreated` per order to the order queue (`ORDER_QUEUE_URL`).
 *
 * Client retries publish nothing twice: each order is published at most once per idempotency key
 * (Powertools Idempotency, the environment's table) — the `Idempotency-Key` header (or
 * `idempotencyKey` field) plus the orderId when the caller sends one, else the orderId alone. A
 * repeat is answered from the table (`replayed: true`, the first answer's eventId and messageId).
 * The publish happens inside the idempotent operation, so an order is remembered only once SQS
 * accepted it: a failed publish is forgotten and the retry publishes; a crash in between leaves a
 * lock that expires with the invocation's deadline. Unlike the consumers (see consumer.ts), the
 * orders of a request are independent and run concurrently, so their publishes still share one
 * batched publish (publish-round.ts).
 *
 * Responses (function URL: HTTP status + JSON body; direct invocation: the body with a
 * `statusCode` field):
 * - 202 every order was published (now or by an earlier request with the same key); 207 some were
 *   (see `results`); 503 none could be published; 409 none, because each repeated an earlier key
 *   with different content, or an earlier request with the key is still in progress;
 * - 400 invalid input, `errors: [{ field, message }]`; 405 not a POST.
 */
import type { Context, LambdaFunctionURLResult } from 'aws-lambda';
import { resolveCorrelationId } from '../shared/correlation';
import { createEnvelope } from '../shared/envelope';
import { requiredEnv, serviceName } from '../shared/env';
import type { FieldIssue } from '../shared/field-issues';
import { createIdempotentOperations, isInProgressElsewhere, isPayloadMismatch, isStoreFailure } from '../shared/idempotency';
import { logger } from '../shared/logger';
import { MetricName, metrics, MetricUnit } from '../shared/metrics';
import type { OrderCreated } from '../shared/order-events';
import { toPublishMessage } from '../shared/outgoing-message';
import { PublishRound } from '../shared/publish-round';
import type { FailedResult, PublishResult } from '../shared/publish-types';
import { SqsPublisher } from '../shared/publisher';
import { sqsClient } from '../shared/sqs-client';
import { isFunctionUrlEvent, readOrderRequest, validateOrders, type OrderInput, type OrderServiceEvent } from './order-request';

const orderQueueUrl = requiredEnv('ORDER_QUEUE_URL');
const publisher = new SqsPublisher({ client: sqsClient });
// The key is `key`; a repeat of it must carry the same order (`order`), else it is a conflict.
const once = createIdempotentOperations({ keyPath: 'key', validationPath: 'order' });

/** An order SQS accepted (stored as the idempotent result, so a repeat answers the same). */
export interface AcceptedOrder {
  readonly orderId: string;
  readonly status: 'accepted';
  readonly eventId: string;
  /** SQS MessageId of the OrderCreated message. */
  readonly messageId: string;
  /** Set when an earlier request with the same idempotency key published it; this one published nothing. */
  readonly replayed?: true;
}

/** The outcome for one order. */
export type OrderResult =
  | AcceptedOrder
  | {
      readonly orderId: string;
      readonly status: 'failed';
      /**
       * The SQS error code, or ours: `IdempotencyKeyReused` (the key was used for different
       * content), `RequestInProgress` (an earlier request with the key still runs; retry later),
       * `IdempotencyStoreUnavailable` (the table could not be reached; retry later).
       */
      readonly code: string;
      readonly reason: string;
    };

/** Codes of orders refused because of an earlier request with the same key (→ 409 when nothing else happened). */
const CONFLICT_CODES: ReadonlySet<string> = new Set(['IdempotencyKeyReused', 'RequestInProgress']);

/** Thrown inside an order's idempotent operation when SQS refused its message, so it is not remembered. */
class OrderNotPublishedError extends Error {
  override readonly name = 'OrderNotPublishedError';
  constructor(readonly result: FailedResult) {
    super(`${result.code}: ${result.reason}`);
  }
}

/** Body of a 202 / 207 / 503 response. */
export interface SubmissionBody {
  readonly correlationId: string;
  readonly accepted: number;
  readonly failed: number;
  readonly results: readonly OrderResult[];
}

/** Body of a 400 / 405 response. */
export interface RejectionBody {
  readonly correlationId: string;
  readonly message: string;
  readonly errors: readonly FieldIssue[];
}

/** What a direct invocation returns: the response body plus its status code. */
export type DirectInvokeResponse = (SubmissionBody | RejectionBody) & { readonly statusCode: number };

interface Outcome {
  readonly statusCode: 202 | 207 | 400 | 405 | 409 | 503;
  readonly body: SubmissionBody | RejectionBody;
}

export const handler = async (event: OrderServiceEvent, context: Context): Promise<LambdaFunctionURLResult | DirectInvokeResponse> => {
  logger.addContext(context);
  logger.resetKeys(); // drop the previous invocation's correlationId
  metrics.captureColdStartMetric();
  once.registerLambdaContext(context);
  try {
    const outcome = await submitOrders(event);
    if (!isFunctionUrlEvent(event)) return { statusCode: outcome.statusCode, ...outcome.body };
    return {
      statusCode: outcome.statusCode,
      headers: {
        'content-type': 'application/json',
        'x-correlation-id': outcome.body.correlationId,
        ...(outcome.statusCode === 405 ? { allow: 'POST' } : {}),
      },
      body: JSON.stringify(outcome.body),
    };
  } finally {
    metrics.publishStoredMetrics();
  }
};

async function submitOrders(event: OrderServiceEvent): Promise<Outcome> {
  const request = readOrderRequest(event);
  const correlation = resolveCorrelationId(request.correlationIdCandidate);
  const correlationId = correlation.value;
  logger.appendKeys({ correlationId });
  if (correlation.generated) logger.info('request has no usable correlation id; generated a new one');

  const reject = (statusCode: 400 | 405, message: string, errors: readonly FieldIssue[]): Outcome => {
    logger.warn(`order request rejected: ${message}`, { statusCode, errors });
    metrics.addMetric(MetricName.InvalidOrderRequests, MetricUnit.Count, 1);
    return { statusCode, body: { correlationId, message, errors } };
  };
  if (!request.ok) return reject(request.statusCode, request.message, request.errors);
  const validation = validateOrders(request.payload);
  if (!validation.ok) return reject(400, 'invalid order request', validation.errors);

  const acceptedAt = new Date();
  const round = new PublishRound(publisher, orderQueueUrl, validation.orders.length);
  const publishResults: PublishResult[] = [];
  const results = await Promise.all(
    validation.orders.map((order) => submitOnce(order, request.idempotencyKey, acceptedAt, correlationId, round, publishResults)),
  );

  const accepted = results.filter((result) => result.status === 'accepted').length;
  const replayed = results.filter((result) => result.status === 'accepted' && result.replayed).length;
  const failures = results.filter((result) => result.status === 'failed');
  metrics.addMetric(MetricName.OrdersAccepted, MetricUnit.Count, accepted - replayed);
  metrics.addMetric(MetricName.DuplicatesSkipped, MetricUnit.Count, replayed);
  metrics.addMetric(MetricName.InProgressElsewhere, MetricUnit.Count, failures.filter((result) => result.code === 'RequestInProgress').length);
  metrics.addMetric(MetricName.MessagesPublished, MetricUnit.Count, publishResults.filter((result) => result.status === 'sent').length);
  metrics.addMetric(MetricName.PublishFailures, MetricUnit.Count, publishResults.filter((result) => result.status === 'failed').length);
  metrics.addMetric(MetricName.PublishRetries, MetricUnit.Count, publishResults.reduce((sum, result) => sum + Math.max(0, result.attempts - 1), 0));
  for (const result of failures) {
    logger.error(`order not accepted: ${result.code}: ${result.reason}`, { orderId: result.orderId });
  }
  logger.info('orders submitted', {
    accepted,
    replayed,
    failed: failures.length,
    orderIds: results.map((result) => result.orderId),
    ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
  });

  const conflictsOnly = failures.length > 0 && failures.every((result) => CONFLICT_CODES.has(result.code));
  const statusCode = failures.length === 0 ? 202 : accepted > 0 ? 207 : conflictsOnly ? 409 : 503;
  return { statusCode, body: { correlationId, accepted, failed: failures.length, results } };
}

/**
 * Publishes `order` unless its key was done before (then answers with the stored result). The
 * message joins `round` only when this call runs the operation; otherwise it leaves the round.
 */
async function submitOnce(
  order: OrderInput,
  idempotencyKey: string | undefined,
  acceptedAt: Date,
  correlationId: string,
  round: PublishRound,
  publishResults: PublishResult[],
): Promise<OrderResult> {
  const orderCreated: OrderCreated = createEnvelope({
    type: 'OrderCreated',
    // Same orderId → same eventId, so a retried request is deduplicated on FIFO queues and by consumers.
    causationKey: order.orderId,
    producer: serviceName(),
    occurredAt: acceptedAt,
    data: { orderId: order.orderId, customerId: order.customerId, items: order.items, createdAt: order.createdAt ?? acceptedAt.toISOString() },
  });
  let joined = false;
  let accepted: AcceptedOrder | undefined;
  try {
    const key = idempotencyKey === undefined ? order.orderId : `${idempotencyKey}#${order.orderId}`;
    const { result, replayed } = await once.run({ key, order }, async (): Promise<AcceptedOrder> => {
      joined = true;
      const published = await round.join(toPublishMessage(order.orderId, orderCreated, correlationId));
      publishResults.push(published);
      if (published.status === 'failed') throw new OrderNotPublishedError(published);
      accepted = { orderId: order.orderId, status: 'accepted', eventId: orderCreated.eventId, messageId: published.messageId };
      return accepted;
    });
    return replayed ? { ...result, replayed: true } : result;
  } catch (error) {
    // Published, but the table could not record it: the order is in the queue, so it is accepted;
    // a retry waits for the lock to expire and publishes the same event again (consumers drop it).
    if (accepted) {
      logger.warn('order published but not recorded in the idempotency table; a retry will publish it again', { orderId: order.orderId, error: error as Error });
      return accepted;
    }
    return { orderId: order.orderId, status: 'failed', ...failureOf(error, order.orderId) };
  } finally {
    if (!joined) round.leave();
  }
}

function failureOf(error: unknown, orderId: string): { code: string; reason: string } {
  if (error instanceof OrderNotPublishedError) return { code: error.result.code, reason: error.result.reason };
  if (isPayloadMismatch(error)) {
    return {
      code: 'IdempotencyKeyReused',
      reason: `order "${orderId}" was accepted before with different content under the same idempotency key (the Idempotency-Key header plus the orderId, or the orderId alone); send changes as a new order`,
    };
  }
  if (isInProgressElsewhere(error)) {
    return { code: 'RequestInProgress', reason: `an earlier request for order "${orderId}" with the same idempotency key is still in progress; retry in a few seconds` };
  }
  logger.error('order submission failed', { orderId, error: error as Error });
  if (isStoreFailure(error)) {
    return { code: 'IdempotencyStoreUnavailable', reason: 'could not check or record whether the order was accepted before; retry later' };
  }
  return { code: 'InternalError', reason: (error as Error).message };
}
