/**
 * The queue/DLQ pairs of one environment (read from its outputs: model/read-outputs.ts), and the
 * queue a command argument names: a logical name (`order`) or a queue's full name
 * (`development-order-dlq`).
 */
import type { OutputQueuePair as QueuePair, QueueAddress } from '../model/read-outputs';

export type QueueRole = 'queue' | 'dead-letter-queue';

/** A queue a command argument named: which pair, which of its two queues. */
export interface NamedQueue {
  readonly pair: QueuePair;
  readonly role: QueueRole;
  readonly address: QueueAddress;
}

export class QueueCatalog {
  readonly pairs: readonly QueuePair[];

  constructor(pairs: readonly QueuePair[]) {
    this.pairs = pairs;
  }

  /**
   * The queue `reference` names: a logical name means the pair's `role` queue, a full queue name
   * that queue itself. Case and `-`/`_` do not matter.
   */
  find(reference: string, role: QueueRole): NamedQueue | undefined {
    const wanted = normalize(reference);
    for (const pair of this.pairs) {
      if (normalize(pair.name) === wanted) return { pair, role, address: role === 'queue' ? pair.queue : pair.deadLetterQueue };
      if (normalize(pair.queue.name) === wanted) return { pair, role: 'queue', address: pair.queue };
      if (normalize(pair.deadLetterQueue.name) === wanted) return { pair, role: 'dead-letter-queue', address: pair.deadLetterQueue };
    }
    return undefined;
  }

  /** The queue with this ARN, if it is one of the environment's. */
  byArn(arn: string): NamedQueue | undefined {
    for (const pair of this.pairs) {
      if (pair.queue.arn === arn) return { pair, role: 'queue', address: pair.queue };
      if (pair.deadLetterQueue.arn === arn) return { pair, role: 'dead-letter-queue', address: pair.deadLetterQueue };
    }
    return undefined;
  }
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, '-');
}
