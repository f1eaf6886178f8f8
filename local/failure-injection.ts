/**
 * Simulated transient failures, injected by the local event source mapping (never by the handlers):
 * a chosen record is held back from the function and reported failed, exactly as if the handler had
 * listed it in `batchItemFailures` before doing any work. It returns after the visibility timeout
 * and, after maxReceiveCount unlucky receives, reaches the DLQ — which is what the option is for.
 */
import type { SQSRecord } from 'aws-lambda';

export interface FailureInjectionOptions {
  /** Share of records to fail, 0 – 1. @default 0 */
  readonly rate: number;
  /** Source of randomness in [0, 1), for repeatable tests. @default Math.random */
  readonly random?: () => number;
}

export interface InjectionResult {
  /** Records the function receives. */
  readonly delivered: SQSRecord[];
  /** Message ids failed by injection (not delivered). */
  readonly injected: string[];
}

export class FailureInjector {
  private readonly random: () => number;
  private rate: number;

  constructor(options: FailureInjectionOptions) {
    this.rate = checkedRate(options.rate);
    this.random = options.random ?? Math.random;
  }

  /** Changes the share of records to fail from now on, 0 – 1 (0 = the switch is off: "the fix is deployed"). */
  setRate(rate: number): void {
    this.rate = checkedRate(rate);
  }

  /**
   * Picks the records to fail. On FIFO queues, once a record of a message group is failed every
   * later record of that group in the batch is failed too, so injection never breaks group order.
   */
  apply(records: readonly SQSRecord[]): InjectionResult {
    if (this.rate === 0) return { delivered: [...records], injected: [] };
    const failedGroups = new Set<string>();
    const delivered: SQSRecord[] = [];
    const injected: string[] = [];
    for (const record of records) {
      const group = record.attributes.MessageGroupId;
      const fail = (group !== undefined && failedGroups.has(group)) || this.random() < this.rate;
      if (fail) {
        injected.push(record.messageId);
        if (group !== undefined) failedGroups.add(group);
      } else {
        delivered.push(record);
      }
    }
    return { delivered, injected };
  }
}

function checkedRate(rate: number): number {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`failure injection rate must be between 0 and 1, but ${rate} was provided`);
  return rate;
}
