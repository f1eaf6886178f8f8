/**
 * The pieces of a graph for constructs used on their own (`QueuePair`, `BundledFunction`,
 * `QueueConsumer` in a team's own stack): the same resolution, rules and node builders as a whole
 * topology, for one queue or function. Each throws one SpecValidationError listing every problem.
 */
import { environmentGraph } from './graph/environment';
import type { FunctionNodes } from './graph/function';
import { functionNodes } from './graph/function';
import { queuePairNodes, type QueuePairNodes } from './graph/queue-pair';
import type { GraphValue } from './graph/values';
import type { ConsumerSettings, EnvironmentProfile, FunctionDefinition, QueueDefinition, Topology } from './input';
import { Problems, type Subject } from './problems';
import { resolveAll } from './resolve/environment';
import { checkConsumer, type ConsumedQueueFacts } from './resolve/function';
import type { ResolvedConsumer, ResolvedEnvironment, ResolvedFunction, ResolvedQueue } from './resolve/resolved';
import { checkCollisions } from './rules/collisions';

/** An environment for a piece used on its own: a name, or a name with a profile. */
export type StandaloneEnvironment = string | (EnvironmentProfile & { readonly name: string });

/** A queue pair outside a topology, resolved and validated. */
export interface StandaloneQueuePair {
  readonly settings: ResolvedQueue;
  readonly nodes: QueuePairNodes;
  /** The environment it was resolved in (alerts, tags, warnings). */
  readonly environment: ResolvedEnvironment;
}

/**
 * Resolves one queue pair. With KMS encryption and no `encryption.keyArn`, pass the ARN of the key
 * created elsewhere in the stack as `keyArn`.
 */
export function standaloneQueuePair(environment: StandaloneEnvironment, definition: QueueDefinition, keyArn?: GraphValue): StandaloneQueuePair {
  const resolved = resolveOne(environment, { queues: [definition] }, (problems, env) => {
    if (env.encryption.type === 'kms' && env.encryption.keyArn === undefined && keyArn === undefined) {
      problems.add(
        { kind: 'queue', name: definition.name, environment: env.environment },
        'encryption.keyArn',
        'must be given for a queue pair outside a topology with KMS encryption',
        undefined,
        'pass kmsKeyArn (a key created in your stack) or encryption: { type: "kms", keyArn: "arn:aws:kms:…" }',
      );
    }
  });
  const settings = resolved.queues[0]!;
  return { settings, nodes: queuePairNodes(settings, keyArn ?? (settings.encryption.type === 'kms' ? settings.encryption.keyArn : undefined)), environment: resolved };
}

/** A Lambda function outside a topology (no queue wiring: grant and consume through the constructs). */
export interface StandaloneFunction {
  readonly settings: ResolvedFunction;
  readonly nodes: FunctionNodes;
  readonly environment: ResolvedEnvironment;
}

export function standaloneFunction(environment: StandaloneEnvironment, definition: Omit<FunctionDefinition, 'consumes' | 'publishesTo'>): StandaloneFunction {
  const subject: Subject = { kind: 'function', name: typeof definition?.name === 'string' ? definition.name : undefined };
  const wiring = ['consumes', 'publishesTo'].filter((field) => definition !== null && typeof definition === 'object' && field in definition);
  const resolved = resolveOne(environment, { queues: [], functions: [definition as FunctionDefinition] }, (problems, env) => {
    for (const field of wiring) {
      problems.add({ ...subject, environment: env.environment }, field, 'is wired by the constructs outside a topology', (definition as Record<string, unknown>)[field], 'remove it and use QueueConsumer / grantSend');
    }
  });
  const settings = resolved.functions[0]!;
  // The environment's own key encrypts log groups only inside a MessagingEnvironment.
  return { settings, nodes: functionNodes(settings), environment: resolved };
}

/** Checks a consumer's settings against the queue it reads and the function's timeout. */
export function standaloneConsumer(
  functionName: string,
  environment: string,
  consumer: Omit<ConsumerSettings, 'queue'>,
  timeoutSeconds: number,
  queue: ConsumedQueueFacts,
): { readonly consumer: ResolvedConsumer; readonly warnings: readonly string[] } {
  const problems = new Problems();
  const subject: Subject = { kind: 'function', name: functionName, environment };
  const resolved = problems.object(subject, 'consumer settings', consumer) ? checkConsumer(problems, subject, consumer, timeoutSeconds, queue) : undefined;
  problems.throwIfAny();
  return { consumer: resolved!, warnings: problems.warningsFor(environment).map((w) => `${w.subject} (${w.environment}): ${w.message}`) };
}

function resolveOne(
  environment: StandaloneEnvironment,
  topology: Topology,
  extraChecks: (problems: Problems, environment: ResolvedEnvironment) => void,
): ResolvedEnvironment {
  const problems = new Problems();
  const { name, profile } = splitEnvironment(problems, environment);
  const resolved = name === undefined ? [] : resolveAll(problems, topology, { [name]: profile }, [name]);
  for (const env of resolved) {
    extraChecks(problems, env);
    checkCollisions(problems, environmentGraph(env));
  }
  problems.throwIfAny();
  return resolved[0]!;
}

function splitEnvironment(problems: Problems, environment: unknown): { name?: string; profile: EnvironmentProfile } {
  if (typeof environment === 'string') return { name: environment, profile: {} };
  if (typeof environment === 'object' && environment !== null && typeof (environment as { name?: unknown }).name === 'string') {
    const { name, ...profile } = environment as EnvironmentProfile & { name: string };
    return { name, profile };
  }
  problems.add(
    { kind: 'construct' },
    'environment',
    'must be an environment name or { name, ...profile }',
    environment,
    'e.g. environment: "staging" or environment: { name: "staging", scope: "payments" }',
  );
  return { profile: {} };
}
