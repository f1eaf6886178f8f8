/**
 * Queue/DLQ pairs read back from an environment's outputs, as both renderers name them: the
 * Terraform outputs (`order_queue_url`, `order_dlq_arn`, …, also the local outputs file) and the
 * CloudFormation outputs (`OrderQueueUrl`, `OrderDlqArn`, …), the suffixes coming from the one list
 * of per-queue outputs (graph/outputs.ts). What the operator command and `loadQueueEndpoints` both
 * start from.
 */
import type { QueueOutputKind } from './graph/outputs';
import { pascalCase, queueName } from './naming';

/** The four outputs that address a pair. */
type PairOutput = Extract<QueueOutputKind, 'queue_url' | 'queue_arn' | 'dlq_url' | 'dlq_arn'>;
const PAIR_OUTPUTS: readonly PairOutput[] = ['queue_url', 'queue_arn', 'dlq_url', 'dlq_arn'];

export interface OutputQueuePair {
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

/** Pairs from Terraform-style output names (`order_queue_url`) of `environment`. */
export function pairsFromTerraformOutputs(outputs: Readonly<Record<string, unknown>>, environment: string): OutputQueuePair[] {
  return pairsFrom(outputs, environment, (what) => `_${what}`, (base) => base.replace(/_/g, '-'));
}

/** Pairs from CloudFormation output keys (`OrderQueueUrl`) of `environment`. */
export function pairsFromCloudFormationOutputs(outputs: Readonly<Record<string, unknown>>, environment: string): OutputQueuePair[] {
  return pairsFrom(outputs, environment, (what) => pascalCase(what), (base) => base.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase());
}

function pairsFrom(
  outputs: Readonly<Record<string, unknown>>,
  environment: string,
  suffix: (what: PairOutput) => string,
  guessName: (base: string) => string,
): OutputQueuePair[] {
  const urlSuffix = suffix('queue_url');
  const pairs: OutputQueuePair[] = [];
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

