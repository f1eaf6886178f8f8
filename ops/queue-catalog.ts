/**
 * The queue/DLQ pairs of one environment, read from its outputs as both renderers name them: the
 * Terraform outputs (`order_queue_url`, `order_dlq_arn`, …) and the CloudFormation outputs
 * (`OrderQueueUrl`, `OrderDlqArn`, …), the suffixes coming from the spec's one list of per-queue
 * outputs. Commands name a queue by its logical name (`order`) or a queue's full name
 * (`development-order-dlq`).
 */
import type { QueueOutputKind } from '../model/graph/outputs';
import { pascalCase, queueName } from '../model/naming';

/** The four outputs of a pair ops needs. */
type PairOutput = Extract<QueueOutputKind, 'queue_url' | 'queue_arn' | 'dlq_url' | 'dlq_arn'>;
const PAIR_OUTPUTS: readonly PairOutput[] = ['queue_url', 'queue_arn', 'dlq_url', 'dlq_arn'];

export interface QueuePair {
  /** Logical name, e.g. `order`. */
  readonly name: string;
  readonly queue: QueueAddress;
  readonly deadLetterQueue: QueueAddress;
  readonly fifo: boolean;
}

export interface QueueAddress {
  /** Full queue name, e.g. `development-order-queue`. */
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

export type QueueRole = 'queue' | 'dead-letter-queue';

/** A queue a command argument named: which pair, which of its two queues. */
export interface NamedQueue {
  readonly pair: QueuePair;
  readonly role: QueueRole;
  readonly address: QueueAddress;
}

/** Pairs from Terraform-style output names (`order_queue_url`) of `environment`. */
export function pairsFromTerraformOutputs(outputs: Readonly<Record<string, unknown>>, environment: string): QueuePair[] {
  return pairsFrom(outputs, environment, (what) => `_${what}`, (base) => base.replace(/_/g, '-'));
}

/** Pairs from CloudFormation output keys (`OrderQueueUrl`) of `environment`. */
export function pairsFromCloudFormationOutputs(outputs: Readonly<Record<string, unknown>>, environment: string): QueuePair[] {
  return pairsFrom(outputs, environment, (what) => pascalCase(what), (base) => base.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase());
}

function pairsFrom(
  outputs: Readonly<Record<string, unknown>>,
  environment: string,
  suffix: (what: PairOutput) => string,
  guessName: (base: string) => string,
): QueuePair[] {
  const urlSuffix = suffix('queue_url');
  const pairs: QueuePair[] = [];
  // In the order of the outputs: the topology order (upstream first) for the files the renderers write.
  for (const key of Object.keys(outputs)) {
    if (!key.endsWith(urlSuffix) || key.length === urlSuffix.length) continue;
    const base = key.slice(0, -urlSuffix.length);
    const values = PAIR_OUTPUTS.map((what) => outputs[base + suffix(what)]);
    if (!values.every((value): value is string => typeof value === 'string' && value !== '')) continue;
    const [queueUrl, queueArn, dlqUrl, dlqArn] = values;
    const queue = address(queueUrl!, queueArn!);
    pairs.push({
      name: logicalName(queue.name, environment) ?? guessName(base),
      queue,
      deadLetterQueue: address(dlqUrl!, dlqArn!),
      fifo: queueUrl!.endsWith('.fifo'),
    });
  }
  return pairs;
}

/**
 * The logical name in a queue's full name (`development-order-queue` → `order`, with a scope
 * `payments-development-order-queue` → `order`), when the name is one the model's naming makes;
 * output keys lose it (`order_v2`, `OrderV2`), queue names keep it.
 */
function logicalName(fullName: string, environment: string): string | undefined {
  const fifo = fullName.endsWith('.fifo');
  const match = new RegExp(`^((?:.+-)?${escape(environment)})-(.+)-queue(?:\\.fifo)?$`).exec(fullName);
  return match && queueName(match[1]!, match[2]!, fifo) === fullName ? match[2] : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function address(url: string, arn: string): QueueAddress {
  return { name: arn.slice(arn.lastIndexOf(':') + 1), url, arn };
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
