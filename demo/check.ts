/**
 * The verdict of `npm start -- --once`: every valid order accepted by order-service reached the
 * last consumer (notification-service), and every malformed message sits in a DLQ.
 */
import { peekMessages } from '../local/peek';
import type { LocalPipeline } from '../local/pipeline';
import type { DeliveryLog } from './delivery-log';
import type { DemoOrderResult } from './traffic';

export interface DemoVerdict {
  readonly ok: boolean;
  /** Human-readable findings, one per line. */
  readonly lines: readonly string[];
}

export interface DemoCheckInput {
  readonly pipeline: LocalPipeline;
  readonly deliveries: DeliveryLog;
  readonly orders: readonly DemoOrderResult[];
  /** Correlation ids of the injected malformed messages. */
  readonly malformed: readonly string[];
}

export async function checkDemo(input: DemoCheckInput): Promise<DemoVerdict> {
  const { pipeline, deliveries, orders, malformed } = input;
  // The end of the chain: consumers that publish nothing.
  const terminal = pipeline.consumers.filter((consumer) => consumer.fn.publishesTo.length === 0).map((consumer) => consumer.fn.functionName);
  const reached = new Set(terminal.flatMap((name) => [...deliveries.processedBy(name)]));

  // Where each correlation id sits among the DLQs (peeking is safe: nothing consumes a DLQ).
  const inDlq = new Map<string, string>();
  for (const queue of pipeline.queues) {
    for (const message of await peekMessages(pipeline.client, queue.deadLetterQueueUrl)) {
      const correlationId = message.MessageAttributes?.correlationId?.StringValue;
      if (correlationId) inDlq.set(correlationId, queue.spec.deadLetterQueueName);
    }
  }

  const rejected = orders.filter((order) => order.status !== 202);
  const missing = orders.filter((order) => order.status === 202 && !reached.has(order.correlationId));
  const malformedMissing = malformed.filter((id) => !inDlq.has(id));
  const lines = [
    `valid orders accepted by order-service: ${orders.length - rejected.length}/${orders.length}`,
    ...rejected.slice(0, 5).map((order) => `  ${order.orderId} rejected: ${order.status || 'no answer'} ${order.error ?? ''}`.trimEnd()),
    `valid orders that reached ${terminal.join(', ')}: ${orders.length - rejected.length - missing.length}/${orders.length}`,
    ...missing.slice(0, 10).map((order) => `  ${order.orderId} (${order.correlationId}) ${inDlq.has(order.correlationId) ? `is in ${inDlq.get(order.correlationId)}` : 'did not arrive'}`),
    `malformed messages in a DLQ: ${malformed.length - malformedMissing.length}/${malformed.length}` +
      (malformed.length > 0 ? ` (${[...new Set(malformed.filter((id) => inDlq.has(id)).map((id) => inDlq.get(id)))].join(', ')})` : ''),
    ...malformedMissing.map((id) => `  ${id} is not in any DLQ`),
  ];
  return { ok: rejected.length === 0 && missing.length === 0 && malformedMissing.length === 0, lines };
}
