/**
 * The demo traffic of `npm start`: valid orders posted to order-service's local function URL (one
 * order per request, each with its own `x-correlation-id`), and malformed messages put straight on
 * the order queue, as a buggy producer would, so they travel the failure path to the DLQ.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sleep } from '../local/sleep';

export interface DemoOrderResult {
  readonly orderId: string;
  readonly correlationId: string;
  /** HTTP status from order-service (202 accepted), or 0 when the request itself failed. */
  readonly status: number;
  readonly error?: string;
}

export interface SendOrdersOptions {
  /** Orders to send. Range 0 – 100,000. */
  readonly count: number;
  /** Orders per second; 0 sends as fast as the producer answers. */
  readonly ratePerSecond: number;
  /** Distinguishes this run's ids from earlier runs on a persisted server. */
  readonly runId: string;
  /** Stops sending early (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Called after each answered request. */
  readonly onResult?: (result: DemoOrderResult) => void;
  /** Called once, before sending, with every correlation id the orders will carry. */
  readonly onCorrelationIds?: (ids: readonly string[]) => void;
}

/** Correlation id of demo order `index` of run `runId`. */
export function orderCorrelationId(runId: string, index: number): string {
  return `corr-${runId}-${index}`;
}

/** A valid order the schema of order-service accepts. */
export function demoOrder(runId: string, index: number): { orderId: string; customerId: string; items: { sku: string; quantity: number }[] } {
  return {
    orderId: `order-${runId}-${index}`,
    customerId: `customer-${(index % 7) + 1}`,
    items: Array.from({ length: (index % 3) + 1 }, (_, line) => ({ sku: `SKU-${100 + ((index + line) % 40)}`, quantity: ((index + line) % 5) + 1 })),
  };
}

/** Posts `count` orders at the given rate; at most 4 requests are outstanding at once. */
export async function sendDemoOrders(functionUrl: string, options: SendOrdersOptions): Promise<DemoOrderResult[]> {
  const results: DemoOrderResult[] = [];
  const outstanding = new Set<Promise<void>>();
  const started = Date.now();
  options.onCorrelationIds?.(Array.from({ length: options.count }, (_, index) => orderCorrelationId(options.runId, index)));
  for (let index = 0; index < options.count && !options.signal?.aborted; index++) {
    if (options.ratePerSecond > 0) {
      const due = started + (index * 1000) / options.ratePerSecond;
      if (due > Date.now()) await sleep(due - Date.now(), options.signal);
      if (options.signal?.aborted) break;
    }
    while (outstanding.size >= 4) await Promise.race(outstanding);
    const order = demoOrder(options.runId, index);
    const correlationId = orderCorrelationId(options.runId, index);
    const request = post(functionUrl, order, correlationId).then((result) => {
      results.push(result);
      options.onResult?.(result);
    });
    outstanding.add(request);
    void request.finally(() => outstanding.delete(request));
  }
  await Promise.all(outstanding);
  return results;
}

/** Kinds of malformed message, cycled through: what a buggy producer typically sends. */
export const MALFORMED_BODIES: readonly { readonly kind: string; readonly body: (index: number) => string }[] = [
  { kind: 'not JSON', body: (index) => `{"type":"OrderCreated","data":{"orderId":"broken-${index}"` },
  { kind: 'missing fields', body: (index) => JSON.stringify({ type: 'OrderCreated', version: 1, data: { orderId: `broken-${index}` } }) },
  { kind: 'wrong event type', body: (index) => JSON.stringify({ type: 'OrderShipped', version: 1, eventId: `e${index}`, data: {} }) },
];

/** Sends `count` malformed messages straight to the queue; returns their correlation ids. */
export async function injectMalformedMessages(
  client: SQSClient,
  queueUrl: string,
  count: number,
  runId: string,
  deliveries?: { watch(ids: Iterable<string>): void },
): Promise<string[]> {
  const correlationIds: string[] = [];
  deliveries?.watch(Array.from({ length: count }, (_, index) => `malformed-${runId}-${index}`));
  for (let index = 0; index < count; index++) {
    const correlationId = `malformed-${runId}-${index}`;
    const kind = MALFORMED_BODIES[index % MALFORMED_BODIES.length]!;
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: kind.body(index),
        MessageAttributes: { correlationId: { DataType: 'String', StringValue: correlationId } },
      }),
    );
    correlationIds.push(correlationId);
  }
  return correlationIds;
}

async function post(functionUrl: string, order: ReturnType<typeof demoOrder>, correlationId: string): Promise<DemoOrderResult> {
  try {
    const response = await fetch(functionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
      body: JSON.stringify(order),
    });
    const text = await response.text();
    return { orderId: order.orderId, correlationId, status: response.status, ...(response.ok ? {} : { error: text.slice(0, 300) }) };
  } catch (error) {
    return { orderId: order.orderId, correlationId, status: 0, error: (error as Error).message };
  }
}
