/**
 * order-service: accepts orders (function URL with IAM auth, or direct invocation), validates
 * them and publishes one `OrderCreated` per order to the order queue (`ORDER_QUEUE_URL`).
 *
 * Responses (function URL: HTTP status + JSON body; direct invocation: the body with a
 * `statusCode` field):
 * - 202 every order was published; 207 some were (see `results`); 503 none could be published;
 * - 400 invalid input, `errors: [{ field, message }]`; 405 not a POST.
 */
import type { Context, LambdaFunctionURLResult } from 'aws-lambda';
import { resolveCorrelationId } from '../shared/correlation';
import { createEnvelope } from '../shared/envelope';
import { requiredEnv, serviceName } from '../shared/env';
import type { FieldIssue } from '../shared/field-issues';
import { logger } from '../shared/logger';
import { MetricName, metrics, MetricUnit } from '../shared/metrics';
import type { OrderCreated } from '../shared/order-events';
import { toPublishMessage } from '../shared/outgoing-message';
import { SqsPublisher } from '../shared/publisher';
import { sqsClient } from '../shared/sqs-client';
import { isFunctionUrlEvent, readOrderRequest, validateOrders, type OrderServiceEvent } from './order-request';

const orderQueueUrl = requiredEnv('ORDER_QUEUE_URL');
const publisher = new SqsPublisher({ client: sqsClient });

/** The outcome for one order. */
export type OrderResult =
  | { readonly orderId: string; readonly status: 'accepted'; readonly eventId: string; readonly messageId: string }
  | { readonly orderId: string; readonly status: 'failed'; readonly code: string; readonly reason: string };

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
  readonly statusCode: 202 | 207 | 400 | 405 | 503;
  readonly body: SubmissionBody | RejectionBody;
}

export const handler = async (event: OrderServiceEvent, context: Context): Promise<LambdaFunctionURLResult | DirectInvokeResponse> => {
  logger.addContext(context);
  logger.resetKeys(); // drop the previous invocation's correlationId
  metrics.captureColdStartMetric();
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
  const events: OrderCreated[] = validation.orders.map((order) =>
    createEnvelope({
      type: 'OrderCreated',
      // Same orderId → same eventId, so a retried request is deduplicated on FIFO queues.
      causationKey: order.orderId,
      producer: serviceName(),
      occurredAt: acceptedAt,
      data: { orderId: order.orderId, customerId: order.customerId, items: order.items, createdAt: order.createdAt ?? acceptedAt.toISOString() },
    }),
  );
  const publishResults = await publisher.publish(
    orderQueueUrl,
    events.map((orderCreated) => toPublishMessage(orderCreated.data.orderId, orderCreated, correlationId)),
  );

  const results: OrderResult[] = publishResults.map((result, index) =>
    result.status === 'sent'
      ? { orderId: result.key, status: 'accepted', eventId: events[index]!.eventId, messageId: result.messageId }
      : { orderId: result.key, status: 'failed', code: result.code, reason: result.reason },
  );
  const accepted = results.filter((result) => result.status === 'accepted').length;
  const failed = results.length - accepted;
  metrics.addMetric(MetricName.OrdersAccepted, MetricUnit.Count, accepted);
  metrics.addMetric(MetricName.MessagesPublished, MetricUnit.Count, accepted);
  metrics.addMetric(MetricName.PublishFailures, MetricUnit.Count, failed);
  metrics.addMetric(MetricName.PublishRetries, MetricUnit.Count, publishResults.reduce((sum, result) => sum + Math.max(0, result.attempts - 1), 0));
  for (const result of results) {
    if (result.status === 'failed') logger.error(`publishing OrderCreated failed: ${result.code}: ${result.reason}`, { orderId: result.orderId });
  }
  logger.info('orders submitted', { accepted, failed, orderIds: results.map((result) => result.orderId) });

  const statusCode = failed === 0 ? 202 : accepted > 0 ? 207 : 503;
  return { statusCode, body: { correlationId, accepted, failed, results } };
}
