/** Resolves one Lambda service for one environment and checks the Lambda and event-source rules. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  FUNCTION_DEFAULTS,
  LAMBDA_ARCHITECTURE,
  LAMBDA_HANDLER,
  LAMBDA_RUNTIME,
  METRICS_NAMESPACE,
} from './defaults';
import { definedFields } from './defined-fields';
import {
  BATCH_SIZE_WITHOUT_WINDOW,
  CONSUMER_LIMITS,
  FUNCTION_LIMITS,
  LAMBDA_MIN_RECOMMENDED_RECEIVE_COUNT,
  LOG_RETENTION_DAYS,
  MAX_FUNCTION_NAME_LENGTH,
  NAME_PATTERN,
  VISIBILITY_TO_TIMEOUT_FACTOR,
} from './limits';
import { functionName, logGroupName, queueUrlVariable, roleName } from './naming';
import type { Problems, Subject } from './problems';
import { checkTags } from './tags';
import type {
  ConsumerSettings,
  EnvironmentName,
  FunctionDefinition,
  FunctionSettings,
  LogEncryption,
  ResolvedConsumer,
  ResolvedFunction,
  ResolvedQueue,
} from './types';

export const FUNCTION_SETTING_FIELDS: readonly (keyof FunctionSettings)[] = [
  'timeoutSeconds',
  'memorySizeMb',
  'reservedConcurrency',
  'tracing',
  'logRetentionDays',
  'logLevel',
];
const FUNCTION_DEFINITION_FIELDS: readonly string[] = [
  'name',
  'entry',
  'description',
  'consumes',
  'publishesTo',
  'functionUrl',
  ...FUNCTION_SETTING_FIELDS,
];
const CONSUMER_FIELDS: readonly (keyof ConsumerSettings)[] = ['queue', 'batchSize', 'maximumBatchingWindowSeconds', 'maximumConcurrency'];
const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export interface FunctionLayers {
  readonly definition: FunctionDefinition;
  /** The environment's settings for every function. */
  readonly environmentDefaults?: FunctionSettings;
  /** The environment's override for this function. */
  readonly override?: FunctionSettings;
  readonly logRetentionDays: number;
  /** Decided per environment (see `resolveEnvironment`). */
  readonly logEncryption: LogEncryption;
  readonly queues: ReadonlyMap<string, ResolvedQueue>;
  /** Queue names the topology defines (resolved or not), to tell "unknown" from "invalid". */
  readonly queueNames: ReadonlySet<string>;
  readonly tags: Readonly<Record<string, string>>;
}

export function checkFunctionDefinitionShape(problems: Problems, environment: EnvironmentName, definition: unknown): definition is FunctionDefinition {
  const subject: Subject = { kind: 'function', environment };
  if (!problems.object(subject, 'function definition', definition)) return false;
  const name = (definition as { name?: unknown }).name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    problems.add(subject, 'name', 'must be a non-empty string of letters, digits, "-" and "_"', name);
    return false;
  }
  problems.knownFields({ kind: 'function', name, environment }, '', definition, FUNCTION_DEFINITION_FIELDS);
  return true;
}

export function checkFunctionOverrideShape(problems: Problems, subject: Subject, where: string, value: unknown): value is FunctionSettings {
  if (!problems.object(subject, where, value)) return false;
  problems.knownFields(subject, `${where}: `, value, FUNCTION_SETTING_FIELDS);
  return true;
}

export function resolveFunction(problems: Problems, environment: EnvironmentName, layers: FunctionLayers): ResolvedFunction | undefined {
  const { definition } = layers;
  const subject: Subject = { kind: 'function', name: definition.name, environment };
  const before = problems.count;
  const settings = {
    ...FUNCTION_DEFAULTS,
    logRetentionDays: layers.logRetentionDays,
    ...definedFields(layers.environmentDefaults),
    ...definedFields(definition),
    ...definedFields(layers.override),
  };

  problems.integerInRange(subject, 'timeoutSeconds', settings.timeoutSeconds, FUNCTION_LIMITS.timeoutSeconds);
  problems.integerInRange(subject, 'memorySizeMb', settings.memorySizeMb, FUNCTION_LIMITS.memorySizeMb);
  if (settings.reservedConcurrency !== undefined) {
    problems.integerInRange(subject, 'reservedConcurrency', settings.reservedConcurrency, FUNCTION_LIMITS.reservedConcurrency);
  }
  problems.boolean(subject, 'tracing', settings.tracing);
  problems.oneOf(subject, 'logLevel', settings.logLevel, LOG_LEVELS);
  problems.oneOf(subject, 'logRetentionDays', settings.logRetentionDays, LOG_RETENTION_DAYS);
  if (definition.functionUrl !== undefined) problems.boolean(subject, 'functionUrl', definition.functionUrl);
  if (definition.description !== undefined && typeof definition.description !== 'string') {
    problems.add(subject, 'description', 'must be a string', definition.description);
  }

  const fullName = functionName(environment, definition.name);
  // The role name (`<function>-role`) is the longest name derived from it; Lambda and IAM both
  // cap names at 64 characters.
  const longest = roleName(fullName);
  if (longest.length > MAX_FUNCTION_NAME_LENGTH) {
    problems.add(
      subject,
      'name',
      `must keep the role name "${longest}" within ${MAX_FUNCTION_NAME_LENGTH} characters (it has ${longest.length})`,
      definition.name,
      `shorten the name by ${longest.length - MAX_FUNCTION_NAME_LENGTH} characters`,
    );
  }

  const entry = typeof definition.entry === 'string' ? path.resolve(definition.entry) : undefined;
  if (entry === undefined) {
    problems.add(subject, 'entry', 'must be the path of the handler module', definition.entry);
  } else if (!existsSync(entry)) {
    problems.add(subject, 'entry', 'must point at an existing handler module', definition.entry, `no file at ${entry}`);
  }

  const publishesTo = resolvePublishes(problems, subject, definition.publishesTo, layers.queueNames);
  const consumes = definition.consumes === undefined ? undefined : resolveConsumer(problems, subject, definition.consumes, settings.timeoutSeconds, layers);
  checkTags(problems, subject, 'tags', (definition as { tags?: unknown }).tags);

  if (problems.count > before || entry === undefined) return undefined;
  return {
    environment,
    name: definition.name,
    functionName: fullName,
    description: definition.description ?? `${definition.name} (${environment})`,
    entry,
    runtime: LAMBDA_RUNTIME,
    architecture: LAMBDA_ARCHITECTURE,
    handler: LAMBDA_HANDLER,
    timeoutSeconds: settings.timeoutSeconds,
    memorySizeMb: settings.memorySizeMb,
    ...(settings.reservedConcurrency !== undefined ? { reservedConcurrency: settings.reservedConcurrency } : {}),
    tracing: settings.tracing,
    logGroupName: logGroupName(fullName),
    logRetentionDays: settings.logRetentionDays,
    logEncryption: layers.logEncryption,
    logLevel: settings.logLevel,
    ...(consumes ? { consumes } : {}),
    publishesTo,
    functionUrl: definition.functionUrl ?? false,
    environmentVariables: {
      ENVIRONMENT: environment,
      POWERTOOLS_SERVICE_NAME: definition.name,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: settings.logLevel,
      // Stack traces point at the TypeScript source through the bundle's source map.
      NODE_OPTIONS: '--enable-source-maps',
    },
    queueUrlVariables: Object.fromEntries(publishesTo.map((queue) => [queueUrlVariable(queue), queue])),
    tags: { ...layers.tags, Function: definition.name },
  };
}

function resolvePublishes(problems: Problems, subject: Subject, publishesTo: unknown, queueNames: ReadonlySet<string>): string[] {
  if (publishesTo === undefined) return [];
  if (!Array.isArray(publishesTo) || publishesTo.some((queue) => typeof queue !== 'string')) {
    problems.add(subject, 'publishesTo', 'must be an array of queue names', publishesTo);
    return [];
  }
  for (const queue of publishesTo as string[]) {
    if (!queueNames.has(queue)) {
      problems.add(subject, 'publishesTo', `must name queues of the topology (${[...queueNames].join(', ')})`, queue, 'add the queue to the topology or fix the name');
    }
  }
  return [...new Set(publishesTo as string[])];
}

function resolveConsumer(
  problems: Problems,
  subject: Subject,
  consumer: ConsumerSettings,
  timeoutSeconds: number,
  layers: FunctionLayers,
): ResolvedConsumer | undefined {
  if (!problems.object(subject, 'consumes', consumer)) return undefined;
  problems.knownFields(subject, 'consumes: ', consumer, CONSUMER_FIELDS);
  if (!layers.queueNames.has(consumer.queue)) {
    problems.add(
      subject,
      'consumes.queue',
      `must name a queue of the topology (${[...layers.queueNames].join(', ')})`,
      consumer.queue,
      'add the queue to the topology or fix the name',
    );
    return undefined;
  }
  const queue = layers.queues.get(consumer.queue);
  if (queue === undefined) return undefined; // the queue itself is invalid and already reported

  const batchSize = consumer.batchSize ?? 10;
  const window = consumer.maximumBatchingWindowSeconds ?? 0;
  const before = problems.count;
  problems.integerInRange(subject, 'consumes.batchSize', batchSize, queue.fifo ? CONSUMER_LIMITS.fifoBatchSize : CONSUMER_LIMITS.standardBatchSize);
  const windowValid = problems.integerInRange(subject, 'consumes.maximumBatchingWindowSeconds', window, CONSUMER_LIMITS.maximumBatchingWindowSeconds);
  if (queue.fifo && windowValid && window !== 0) {
    problems.add(subject, 'consumes.maximumBatchingWindowSeconds', `must be 0 for the FIFO queue "${queue.queueName}"`, window, 'remove the batching window');
  }
  if (!queue.fifo && Number.isInteger(batchSize) && batchSize > BATCH_SIZE_WITHOUT_WINDOW && windowValid && window < 1) {
    problems.add(
      subject,
      'consumes.maximumBatchingWindowSeconds',
      `must be at least 1 second when batchSize is above ${BATCH_SIZE_WITHOUT_WINDOW}`,
      window,
      `set a batching window or lower batchSize to ${BATCH_SIZE_WITHOUT_WINDOW}`,
    );
  }
  if (consumer.maximumConcurrency !== undefined) {
    problems.integerInRange(subject, 'consumes.maximumConcurrency', consumer.maximumConcurrency, CONSUMER_LIMITS.maximumConcurrency);
  }

  // AWS: a visibility timeout below the function timeout is rejected when the mapping is created;
  // below 6 × timeout (+ window), retries of a throttled batch reappear while still in flight.
  if (Number.isInteger(timeoutSeconds) && windowValid) {
    const required = VISIBILITY_TO_TIMEOUT_FACTOR * timeoutSeconds + window;
    if (queue.visibilityTimeoutSeconds < required) {
      const windowPart = window > 0 ? ` + ${window} s batching window` : '';
      problems.add(
        { kind: 'queue', name: queue.name, environment: queue.environment },
        'visibilityTimeoutSeconds',
        `must be at least ${VISIBILITY_TO_TIMEOUT_FACTOR} × the consumer's timeout${windowPart} (${VISIBILITY_TO_TIMEOUT_FACTOR} × ${timeoutSeconds} s${windowPart} = ${required} s)`,
        queue.visibilityTimeoutSeconds,
        `raise visibilityTimeoutSeconds to ${required} or lower function "${subject.name}" timeoutSeconds to ${Math.floor((queue.visibilityTimeoutSeconds - window) / VISIBILITY_TO_TIMEOUT_FACTOR)}`,
      );
    }
  }
  if (queue.maxReceiveCount < LAMBDA_MIN_RECOMMENDED_RECEIVE_COUNT) {
    problems.warn(
      { kind: 'queue', name: queue.name, environment: queue.environment },
      `maxReceiveCount ${queue.maxReceiveCount} is below ${LAMBDA_MIN_RECOMMENDED_RECEIVE_COUNT} with a Lambda consumer ("${subject.name}"); throttled invocations can dead-letter healthy messages`,
    );
  }
  if (problems.count > before) return undefined;
  return {
    queue: consumer.queue,
    batchSize,
    maximumBatchingWindowSeconds: window,
    ...(consumer.maximumConcurrency !== undefined ? { maximumConcurrency: consumer.maximumConcurrency } : {}),
  };
}
