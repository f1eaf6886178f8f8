/**
 * The demo of `npm start` on a running local environment: malformed messages straight on the queue
 * the producer publishes to (as a buggy producer would), valid orders through the producer's
 * function URL, and the check that every valid order reached the last consumer and every malformed
 * message is in a DLQ. Follows only its own correlation ids (see delivery-log.ts).
 */
import type { LocalEnvironment } from '../local/local-environment';
import type { LocalProducer } from '../local/pipeline';
import type { ProvisionedQueue } from '../local/provision';
import { checkDemo, type DemoVerdict } from './check';
import type { DeliveryLog } from './delivery-log';
import { injectMalformedMessages, sendDemoOrders, type DemoOrderResult } from './traffic';

export interface DemoOptions {
  /** Valid orders. Range 0 – 100,000. */
  readonly orders: number;
  /** Orders per second; 0 = as fast as the producer answers. */
  readonly rate: number;
  /** Malformed messages. Range 0 – 1,000. */
  readonly malformed: number;
  /** Distinguishes this run's ids from earlier runs on a persisted server. @default a time-based id */
  readonly runId?: string;
  /** Stops sending early. */
  readonly signal?: AbortSignal;
}

export interface RunningDemo {
  /** The function the orders go through (the first with a function URL that publishes). */
  readonly producer?: LocalProducer;
  /** The queue the producer publishes to (where the malformed messages go). */
  readonly target?: ProvisionedQueue;
  /** Answers of the producer so far. */
  readonly orders: readonly DemoOrderResult[];
  /** Correlation ids of the malformed messages. */
  readonly malformed: readonly string[];
  /** True once every order was answered (or sending stopped). */
  sendingDone(): boolean;
  /** The verdict (peeks at the DLQs). */
  check(): Promise<DemoVerdict>;
}

export async function startDemo(local: LocalEnvironment, deliveries: DeliveryLog, options: DemoOptions): Promise<RunningDemo> {
  const { pipeline } = local;
  const runId = options.runId ?? Date.now().toString(36);
  const producer = pipeline.producers.find((candidate) => candidate.url && candidate.fn.publishesTo.length > 0);
  const target = producer ? pipeline.queues.find((queue) => queue.spec.name === producer.fn.publishesTo[0]) : undefined;
  const malformed = target && options.malformed > 0 ? await injectMalformedMessages(local.client, target.queueUrl, options.malformed, runId, deliveries) : [];
  const orders: DemoOrderResult[] = [];
  let done = !producer?.url || options.orders === 0;
  if (!done) {
    void sendDemoOrders(producer!.url!, {
      count: options.orders,
      ratePerSecond: options.rate,
      runId,
      ...(options.signal ? { signal: options.signal } : {}),
      onCorrelationIds: (ids) => deliveries.watch(ids),
      onResult: (result) => orders.push(result),
    }).finally(() => (done = true));
  }
  return {
    ...(producer ? { producer } : {}),
    ...(target ? { target } : {}),
    orders,
    malformed,
    sendingDone: () => done,
    check: () => checkDemo({ pipeline, deliveries, orders, malformed }),
  };
}
