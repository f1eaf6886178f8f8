/** Turning a command's `<queue>` argument (or `--to`) into one of the target's queues, or a usage error. */
import { UsageError } from './exit-codes';
import type { NamedQueue, QueueRole } from './queue-catalog';
import type { OpsTarget } from './target';

/**
 * The queue `reference` names in the target. `role` decides what a logical name means (`order` →
 * the order queue, or its DLQ for the `dlq` commands); `only` refuses the other kind of queue.
 */
export function namedQueue(target: OpsTarget, reference: string | undefined, role: QueueRole, what: string, only?: QueueRole): NamedQueue {
  const names = target.catalog.pairs.map((pair) => pair.name).join(', ');
  if (reference === undefined || reference.trim() === '') {
    throw new UsageError(`${what} is missing: name a queue of ${target.description}: ${names}`);
  }
  const found = target.catalog.find(reference, role);
  if (!found) {
    const example = target.catalog.pairs[0]!;
    throw new UsageError(
      `${what} "${reference}" is not a queue of ${target.description}; its queues are ${names} (or full names such as ${example.queue.name}, ${example.deadLetterQueue.name})`,
    );
  }
  if (only !== undefined && found.role !== only) {
    throw new UsageError(
      only === 'dead-letter-queue'
        ? `${what} "${reference}" is the ${found.pair.name} queue itself, not a dead-letter queue; use "${found.pair.name}" (or ${found.pair.deadLetterQueue.name}) for its DLQ`
        : `${what} "${reference}" is a dead-letter queue; name a queue, e.g. "${found.pair.name}"`,
    );
  }
  return found;
}
