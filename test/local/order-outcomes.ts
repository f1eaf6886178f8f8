/**
 * Per-order, per-service accounting of a run of the reference pipeline, from what the run left
 * behind: the consumers' invocation reports (what each mapping delivered and deleted), the
 * functions' own log lines (what each service's business logic did) and, once the consumers are
 * stopped, what is still in each queue and each DLQ. Used by the exactly-once pipeline test.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Message } from '@aws-sdk/client-sqs';
import type { InvocationReport } from '../../local/event-source-mapping';

/** One hop of the reference pipeline: the queue a service consumes, its input event and where it publishes. */
export interface Hop {
  /** Logical service name, e.g. `inventory-service`. */
  readonly service: string;
  /** Logical name of the queue it consumes, e.g. `order`. */
  readonly queue: string;
  /** Its input event, as named in its log lines ("handled OrderCreated"). */
  readonly input: string;
  /** Logical name of the queue it publishes to; undefined for the last hop. */
  readonly publishesTo?: string;
}

/** The reference topology's three consumer hops, in pipeline order (stacks/topology.ts). */
export const HOPS: readonly Hop[] = [
  { service: 'inventory-service', queue: 'order', input: 'OrderCreated', publishesTo: 'inventory' },
  { service: 'shipping-service', queue: 'inventory', input: 'InventoryReserved', publishesTo: 'notification' },
  { service: 'notification-service', queue: 'notification', input: 'ShipmentScheduled' },
];

/** One structured log line of a function (Powertools Logger JSON). */
export interface LogEntry {
  readonly functionName: string;
  readonly message: string;
  readonly orderId?: string;
  readonly messageId?: string;
}

/** Parses a function's output line; undefined for anything that is not a Powertools log line (EMF metrics, text). */
export function parseLogLine(functionName: string, line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { message?: unknown; orderId?: unknown; messageId?: unknown };
    if (typeof parsed.message !== 'string') return undefined;
    return {
      functionName,
      message: parsed.message,
      ...(typeof parsed.orderId === 'string' ? { orderId: parsed.orderId } : {}),
      ...(typeof parsed.messageId === 'string' ? { messageId: parsed.messageId } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The message a hop's service logs each time its business logic runs for an event (not on a replay). */
export const effectLine = (hop: Hop) => `handled ${hop.input}`;
/** The message a hop's service logs when idempotency absorbed a duplicate (consumer.ts). */
export const replayLinePrefix = (hop: Hop) => `${hop.input} already handled`;

/** Where each SQS message of one queue ended up. Pairwise disjoint in a correct run. */
export interface QueueMessages {
  /** Every message seen on the queue, by message id: the body of the event it carries. */
  readonly bodies: ReadonlyMap<string, unknown>;
  /** Deleted by the consumer after success. */
  readonly processed: ReadonlySet<string>;
  readonly deadLettered: ReadonlySet<string>;
  /** Still on the queue (visible once the consumer stopped). */
  readonly queued: ReadonlySet<string>;
  /** Failed by injection at some receive (never shown to the function on that receive). */
  readonly injected: ReadonlySet<string>;
}

/** Collects one queue's messages from its consumer's reports and peeks at the queue and its DLQ. */
export function queueMessages(reports: readonly InvocationReport[], functionName: string, queued: readonly Message[], deadLettered: readonly Message[]): QueueMessages {
  const own = reports.filter((report) => report.functionName === functionName);
  const bodies = new Map<string, unknown>();
  for (const record of own.flatMap((report) => report.records)) bodies.set(record.messageId, JSON.parse(record.body));
  for (const message of [...queued, ...deadLettered]) bodies.set(message.MessageId!, JSON.parse(message.Body!));
  return {
    bodies,
    processed: new Set(own.flatMap((report) => report.deleted)),
    deadLettered: new Set(deadLettered.map((message) => message.MessageId!)),
    queued: new Set(queued.map((message) => message.MessageId!)),
    injected: new Set(own.flatMap((report) => report.injected)),
  };
}

/** What a queue's messages violate (empty when each message is in exactly one of processed / dead-lettered / queued). */
export function messageAccountingProblems(queue: string, messages: QueueMessages): string[] {
  const problems: string[] = [];
  const places = [
    ['processed', messages.processed],
    ['dead-lettered', messages.deadLettered],
    ['still queued', messages.queued],
  ] as const;
  for (const messageId of new Set([...messages.bodies.keys(), ...messages.injected])) {
    const where = places.filter(([, ids]) => ids.has(messageId)).map(([name]) => name);
    if (where.length !== 1) problems.push(`${queue} message ${messageId}: ${where.length === 0 ? 'lost (neither processed, dead-lettered nor queued)' : `counted twice (${where.join(' and ')})`}`);
    if (!messages.bodies.has(messageId)) problems.push(`${queue} message ${messageId}: failed by injection and never seen again`);
  }
  return problems;
}

/** How one order ended. */
export type OrderOutcome = 'processed' | 'dead-lettered' | 'still queued' | 'lost';

/** What each service did for one order. */
export interface OrderServiceCounts {
  /** Times the service's business logic ran for the order ("handled <input>" lines). */
  readonly effects: number;
  /** Deliveries idempotency absorbed ("<input> already handled" lines). */
  readonly replays: number;
  /** Messages carrying the order's input event at this hop (the original plus re-published copies). */
  readonly copies: number;
  /** Of those, deleted after success. */
  readonly processedCopies: number;
  /** Distinct events the service published downstream for the order (copies of one event are one). */
  readonly distinctPublished: number;
  /**
   * Whether anything shows the logic ran for the order: its "handled" line, a replay (the table
   * held it as done), an event it published, or (notification-service) a "notification sent" line.
   * A killed environment loses the output it had not flushed yet, so a run can lack its line.
   */
  readonly ran: boolean;
}

export interface OrderAccount {
  readonly orderId: string;
  readonly outcome: OrderOutcome;
  /** For an order that did not reach the end: the service whose input is dead-lettered or queued. */
  readonly stoppedAt?: string;
  /** Per hop service. */
  readonly services: Readonly<Record<string, OrderServiceCounts>>;
  /** "notification sent" lines of notification-service for the order. */
  readonly notificationsSent: number;
}

const orderIdOf = (body: unknown) => (body as { data: { orderId: string } }).data.orderId;

/**
 * Accounts for every order: per service, how often its logic ran and how many distinct events it
 * published; overall, processed (its notification sent) / dead-lettered / still queued at the
 * first hop none of whose copies was processed / lost (no copy anywhere).
 */
export function accountOrders(orderIds: readonly string[], messagesByQueue: ReadonlyMap<string, QueueMessages>, logs: readonly LogEntry[], prefix: string): OrderAccount[] {
  const linesOf = (hop: Hop) => logs.filter((entry) => entry.functionName === `${prefix}-${hop.service}`);
  return orderIds.map((orderId) => {
    const services: Record<string, OrderServiceCounts> = {};
    const notificationsSent = logs.filter((entry) => entry.functionName === `${prefix}-notification-service` && entry.message === 'notification sent' && entry.orderId === orderId).length;
    for (const hop of HOPS) {
      const lines = linesOf(hop).filter((entry) => entry.orderId === orderId);
      const messages = messagesByQueue.get(hop.queue)!;
      const copies = [...messages.bodies].filter(([, body]) => orderIdOf(body) === orderId).map(([messageId]) => messageId);
      const published = hop.publishesTo ? [...messagesByQueue.get(hop.publishesTo)!.bodies.values()].filter((body) => orderIdOf(body) === orderId) : [];
      const effects = lines.filter((entry) => entry.message === effectLine(hop)).length;
      const replays = lines.filter((entry) => entry.message.startsWith(replayLinePrefix(hop))).length;
      const distinctPublished = published.filter((body, index) => published.findIndex((other) => isDeepStrictEqual(other, body)) === index).length;
      services[hop.service] = {
        effects,
        replays,
        copies: copies.length,
        processedCopies: copies.filter((messageId) => messages.processed.has(messageId)).length,
        distinctPublished,
        ran: effects + replays + distinctPublished > 0 || (hop.publishesTo === undefined && notificationsSent > 0),
      };
    }
    // Processed = its last hop done: a copy of its ShipmentScheduled processed, or its notification sent.
    const stopped = HOPS.find((hop) => services[hop.service]!.processedCopies === 0);
    if (!stopped || notificationsSent > 0) return { orderId, outcome: 'processed', services, notificationsSent };
    const messages = messagesByQueue.get(stopped.queue)!;
    const pending = [...messages.bodies].filter(([messageId, body]) => orderIdOf(body) === orderId && !messages.processed.has(messageId)).map(([messageId]) => messageId);
    const outcome: OrderOutcome = pending.some((messageId) => messages.queued.has(messageId))
      ? 'still queued'
      : pending.some((messageId) => messages.deadLettered.has(messageId))
        ? 'dead-lettered'
        : 'lost';
    return { orderId, outcome, stoppedAt: stopped.service, services, notificationsSent };
  });
}
