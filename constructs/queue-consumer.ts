import type { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import {
  eventSourceMappingNode,
  queueConsumePolicy,
  standaloneConsumer,
  type ConsumerSettings,
  type EventSourceMappingNode,
  type ResolvedConsumer,
  type StandaloneEnvironment,
} from '../model';
import { BundledFunction, type StandaloneFunctionDefinition } from './bundled-function';
import { QueuePair } from './queue-pair';
import { checkProps, isObject, isString } from './render/check-props';
import { References } from './render/references';
import { renderNode, stableHash } from './render/render-node';

/** A queue that exists already, by ARN, with what the consumer rules need to know of it. */
export interface ExistingQueue {
  readonly queueArn: string;
  /** For messages. @default taken from the ARN */
  readonly queueName?: string;
  /** @default whether the name ends in `.fifo` */
  readonly fifo?: boolean;
  /** Lets the model check "visibility ≥ 6 × function timeout". @default unknown (a warning says it was not checked) */
  readonly visibilityTimeoutSeconds?: number;
  /** @default unknown */
  readonly maxReceiveCount?: number;
  /** A managed policy granting consume rights to attach to the function's role. @default an inline policy on the queue's ARN */
  readonly consumePolicyArn?: string;
}

/** A function that exists already. Its role's queue rights are yours to grant. */
export interface ExistingFunction {
  readonly functionArn: string;
  /** Its timeout, for the visibility rule. Range 1 – 900. */
  readonly timeoutSeconds: number;
  /** Its role's name: with a QueuePair, the pair's consume policy is attached to it. @default no grant */
  readonly roleName?: string;
}

export interface QueueConsumerProps extends Omit<ConsumerSettings, 'queue'> {
  /** The queue to consume: a QueuePair, or an existing queue by ARN. */
  readonly queue: QueuePair | ExistingQueue;
  /** The function: a BundledFunction, a definition bundled here (your own handler file), or an existing function. */
  readonly function: BundledFunction | StandaloneFunctionDefinition | ExistingFunction;
  /**
   * The environment of a function defined here. @default the QueuePair's environment (name, scope, profile)
   */
  readonly environment?: StandaloneEnvironment;
}

/** A consumer that is a piece of a graph the model built (how `MessagingEnvironment` uses it). */
export interface QueueConsumerPieceProps {
  readonly queue: QueuePair;
  readonly function: BundledFunction;
  readonly node: EventSourceMappingNode;
}

/**
 * Wires a function to a queue: grants the consume rights, then creates the event source mapping
 * with `ReportBatchItemFailures` always on (one bad record does not redeliver its whole batch).
 * Batch size, window and concurrency are checked against Lambda's limits and the queue (FIFO, and
 * visibility ≥ 6 × the function's timeout) before anything is created.
 */
export class QueueConsumer extends Construct {
  readonly mapping: LambdaEventSourceMapping;
  /** The function created here from a definition (when `function` was one). */
  readonly bundledFunction?: BundledFunction;
  /** The settings the model resolved. */
  readonly consumer?: ResolvedConsumer;
  /** Advisory findings (e.g. a maxReceiveCount below 5), printed by whoever synthesizes. */
  readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: QueueConsumerProps | QueueConsumerPieceProps) {
    super(scope, id);
    if (isObject(props) && 'node' in props) {
      const piece = props as QueueConsumerPieceProps;
      piece.queue.grantConsume(piece.function);
      this.mapping = renderNode(this, 'mapping', piece.node, piece.function.references).resource as LambdaEventSourceMapping;
      this.warnings = [];
      return;
    }
    const checked = checkStandaloneProps(id, props);
    const queue = queueFacts(checked.queue);
    let fn = checked.function;
    if (!(fn instanceof BundledFunction) && !isExistingFunction(fn)) {
      const environment = checked.environment ?? (checked.queue instanceof QueuePair ? checked.queue.environment : undefined);
      if (environment === undefined) {
        throw new TypeError(`QueueConsumer ${id}: environment is required to create a function from a definition next to an existing queue; e.g. environment: "staging"`);
      }
      fn = this.bundledFunction = new BundledFunction(this, 'function', { function: fn, environment });
    }
    const functionName = fn instanceof BundledFunction ? fn.settings.name : id;
    const environment = fn instanceof BundledFunction ? fn.settings.environment : queue.environment;
    const timeoutSeconds = fn instanceof BundledFunction ? fn.settings.timeoutSeconds : (fn as ExistingFunction).timeoutSeconds;
    const { consumer, warnings } = standaloneConsumer(
      functionName,
      environment,
      { batchSize: checked.batchSize, maximumBatchingWindowSeconds: checked.maximumBatchingWindowSeconds, maximumConcurrency: checked.maximumConcurrency },
      timeoutSeconds,
      { ...queue, environment },
    );
    this.consumer = consumer;
    this.warnings = warnings;
    const grant = this.grantConsume(checked.queue, fn);
    const node = eventSourceMappingNode({
      name: functionName,
      queueArn: checked.queue.queueArn,
      functionArn: fn instanceof BundledFunction ? fn.functionArn : (fn as ExistingFunction).functionArn,
      consumer,
    });
    const references = fn instanceof BundledFunction ? fn.references : References.within(this);
    // AWS checks that the role may read the queue when the mapping is created: depend on the grant.
    const grantKey = `${this.node.path}/consume-grant`;
    references.register(grantKey, {}, grant ? [grant] : []);
    this.mapping = renderNode(this, 'mapping', { ...node, dependsOn: [grantKey] }, references).resource as LambdaEventSourceMapping;
  }

  /** The one grant the mapping needs: the queue's consume rights on the function's role. */
  private grantConsume(queue: QueuePair | ExistingQueue, fn: BundledFunction | StandaloneFunctionDefinition | ExistingFunction): ITerraformDependable | undefined {
    if (queue instanceof QueuePair) {
      if (fn instanceof BundledFunction) return fn.grantPolicy(queue.consumePolicy.arn, queue.nodes.consumePolicy.id);
      const roleName = (fn as ExistingFunction).roleName;
      return roleName ? queue.grantConsume({ name: roleName }) : undefined;
    }
    if (!(fn instanceof BundledFunction)) return undefined;
    if (queue.consumePolicyArn) return fn.grantPolicy(queue.consumePolicyArn, `queue-${stableHash(queue.queueArn)}`);
    // No managed policy for a queue brought by ARN: the same consume statement, inline on the role.
    return new IamRolePolicy(this, 'consume-policy', {
      name: 'consume-queue',
      role: fn.role.name,
      policy: JSON.stringify(fn.references.resolve(queueConsumePolicy(queue.queueArn))),
    });
  }
}

function isExistingFunction(value: unknown): value is ExistingFunction {
  return isObject(value) && typeof value.functionArn === 'string';
}

function queueFacts(queue: QueuePair | ExistingQueue) {
  if (queue instanceof QueuePair) {
    const settings = queue.settings;
    return {
      name: settings.name,
      environment: settings.environment,
      queueName: settings.queueName,
      fifo: settings.fifo,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      maxReceiveCount: settings.maxReceiveCount,
    };
  }
  const queueName = queue.queueName ?? queue.queueArn.split(':').pop() ?? queue.queueArn;
  return {
    name: queueName,
    environment: '',
    queueName,
    fifo: queue.fifo ?? queueName.endsWith('.fifo'),
    ...(queue.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds } : {}),
    ...(queue.maxReceiveCount !== undefined ? { maxReceiveCount: queue.maxReceiveCount } : {}),
  };
}

function checkStandaloneProps(id: string, props: unknown): QueueConsumerProps {
  return checkProps(
    'QueueConsumer',
    id,
    props,
    {
      queue: {
        test: (value) => value instanceof QueuePair || (isObject(value) && isString(value.queueArn)),
        requirement: 'must be a QueuePair or an existing queue { queueArn, visibilityTimeoutSeconds?, fifo? }',
        fix: 'e.g. queue: payments (a QueuePair)',
      },
      function: {
        test: (value) => value instanceof BundledFunction || (isObject(value) && (isString(value.entry) || isString(value.functionArn))),
        requirement: 'must be a BundledFunction, a function definition { name, entry } or an existing function { functionArn, timeoutSeconds }',
        fix: 'e.g. function: { name: "payments-worker", entry: "src/worker.ts" }',
      },
      environment: { test: (value) => isString(value) || (isObject(value) && isString(value.name)), requirement: 'must be an environment name or { name, ...profile }', required: false },
      batchSize: { test: (value) => typeof value === 'number', requirement: 'must be a number', required: false },
      maximumBatchingWindowSeconds: { test: (value) => typeof value === 'number', requirement: 'must be a number', required: false },
      maximumConcurrency: { test: (value) => typeof value === 'number', requirement: 'must be a number', required: false },
    },
    '{ queue: payments, function: { name: "payments-worker", entry: "src/worker.ts" } }',
  ) as unknown as QueueConsumerProps;
}
