/** Resolves one Lambda service for one environment and checks the Lambda and event-source rules. */
import path from 'node:path';
import { FUNCTION_DEFAULTS, IDEMPOTENCY_DEFAULTS, LAMBDA_ARCHITECTURE, LAMBDA_HANDLER, LAMBDA_RUNTIME, METRICS_NAMESPACE } from '../defaults';
import { definedFields } from '../defined-fields';
import type { ConsumerSettings, EnvironmentName, FunctionDefinition, FunctionSettings } from '../input';
import {
  BATCH_SIZE_WITHOUT_WINDOW,
  CONSUMER_LIMITS,
  FUNCTION_LIMITS,
  LAMBDA_MIN_RECOMMENDED_RECEIVE_COUNT,
  LOG_RETENTION_DAYS,
  NAME_PATTERN,
  NAME_RULES,
  VISIBILITY_TO_TIMEOUT_FACTOR,
} from '../limits';
import { functionName, logGroupName, queueUrlVariable, roleName } from '../naming';
import type { Problems, Subject } from '../problems';
import { roleDescription } from '../graph/descriptions';
import { handlerEntryProblem } from '../rules/handler-entry';
import { checkDerivedName } from '../rules/names';
import { checkAlarmSettingsShape, FUNCTION_ALARM_SHAPES, resolveFunctionAlarms } from './alarms';
import type { LogEncryption, ResolvedConsumer, ResolvedFunction, ResolvedQueue } from './resolved';
import { checkMergedTagCount } from './tags';

export const FUNCTION_SETTING_FIELDS: readonly (keyof FunctionSettings)[] = [
  'timeoutSeconds',
  'memorySizeMb',
  'reservedConcurrency',
  'tracing',
  'logRetentionDays',
  'logLevel',
  'idempotencyExpirySeconds',
  'alarms',
];
const FUNCTION_ALARM_KINDS = Object.keys(FUNCTION_ALARM_SHAPES);
const FUNCTION_DEFINITION_FIELDS: readonly string[] = [
  'name',
  'entry',
  'description',
  'consumes',
  'publishesTo',
  'functionUrl',
  'environmentVariables',
  ...FUNCTION_SETTING_FIELDS,
];
const CONSUMER_FIELDS: readonly (keyof ConsumerSettings)[] = ['queue', 'batchSize', 'maximumBatchingWindowSeconds', 'maximumConcurrency'];
const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export interface FunctionLayers {
  readonly definition: FunctionDefinition;
  /** What every name of the environment starts with (`<scope>-<environment>`). */
  readonly namePrefix: string;
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
  const subjectNamed: Subject = { kind: 'function', name, environment };
  problems.knownFields(subjectNamed, '', definition, FUNCTION_DEFINITION_FIELDS);
  checkAlarmSettingsShape(problems, subjectNamed, '', (definition as { alarms?: unknown }).alarms, FUNCTION_ALARM_KINDS);
  return true;
}

export function checkFunctionOverrideShape(problems: Problems, subject: Subject, where: string, value: unknown): value is FunctionSettings {
  if (!problems.object(subject, where, value)) return false;
  problems.knownFields(subject, `${where}: `, value, FUNCTION_SETTING_FIELDS);
  checkAlarmSettingsShape(problems, subject, `${where} `, (value as FunctionSettings).alarms, FUNCTION_ALARM_KINDS);
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

  const names = {
    functionName: functionName(layers.namePrefix, definition.name),
    roleName: roleName(functionName(layers.namePrefix, definition.name)),
  };
  const description = typeof definition.description === 'string' ? definition.description : `${definition.name} (${environment})`;
  const shorten = 'shorten the function name, the environment name or the scope';
  checkDerivedName(problems, { subject, field: 'name', provided: definition.name, value: names.functionName, rule: NAME_RULES.lambdaFunction, fix: shorten });
  checkDerivedName(problems, { subject, field: 'name', provided: definition.name, value: names.roleName, rule: NAME_RULES.iamRole, fix: shorten });
  checkDerivedName(problems, { subject, field: 'name', provided: definition.name, value: logGroupName(names.functionName), rule: NAME_RULES.logGroup, fix: shorten });
  checkDerivedName(problems, { subject, field: 'description', provided: description, value: description, rule: NAME_RULES.lambdaDescription });
  checkDerivedName(problems, { subject, field: 'name', provided: definition.name, value: roleDescription(names.functionName), rule: NAME_RULES.iamDescription, fix: shorten });

  let entry: string | undefined;
  if (typeof definition.entry !== 'string' || definition.entry.trim() === '') {
    problems.add(subject, 'entry', 'must be the path of the handler module', definition.entry, 'e.g. entry: path.join(__dirname, "handler.ts")');
  } else {
    entry = path.resolve(definition.entry);
    const problem = handlerEntryProblem(entry);
    if (problem) problems.add(subject, 'entry', 'must be a handler module that exports handler', definition.entry, problem);
  }

  const publishesTo = resolvePublishes(problems, subject, definition.publishesTo, layers.queueNames);
  const consumes = definition.consumes === undefined ? undefined : resolveConsumer(problems, subject, definition.consumes, settings.timeoutSeconds, layers);
  const input = consumes ? layers.queues.get(consumes.queue) : undefined;
  const idempotencyExpirySeconds = resolveIdempotencyExpiry(problems, subject, environment, settings.idempotencyExpirySeconds, input);
  const tags = { ...layers.tags, Function: definition.name };
  checkMergedTagCount(problems, subject, `function ${names.functionName}`, tags);
  const modelVariables: Record<string, string> = {
    ENVIRONMENT: environment,
    POWERTOOLS_SERVICE_NAME: definition.name,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: settings.logLevel,
    // Stack traces point at the TypeScript source through the bundle's source map.
    NODE_OPTIONS: '--enable-source-maps',
  };
  const queueUrlVariables = Object.fromEntries(publishesTo.map((queue) => [queueUrlVariable(queue), queue]));
  const alarms = resolveFunctionAlarms(problems, subject, layers.namePrefix, { name: definition.name, functionName: names.functionName }, [
    layers.environmentDefaults?.alarms,
    definition.alarms,
    layers.override?.alarms,
  ]);
  const ownVariables = checkOwnVariables(problems, subject, definition.environmentVariables, [...Object.keys(modelVariables), ...Object.keys(queueUrlVariables)]);

  if (problems.count > before || entry === undefined) return undefined;
  return {
    environment,
    name: definition.name,
    ...names,
    description,
    entry,
    runtime: LAMBDA_RUNTIME,
    architecture: LAMBDA_ARCHITECTURE,
    handler: LAMBDA_HANDLER,
    timeoutSeconds: settings.timeoutSeconds,
    memorySizeMb: settings.memorySizeMb,
    ...(settings.reservedConcurrency !== undefined ? { reservedConcurrency: settings.reservedConcurrency } : {}),
    tracing: settings.tracing,
    logGroupName: logGroupName(names.functionName),
    logRetentionDays: settings.logRetentionDays,
    logEncryption: layers.logEncryption,
    logLevel: settings.logLevel,
    ...(consumes ? { consumes } : {}),
    publishesTo,
    functionUrl: definition.functionUrl ?? false,
    idempotencyExpirySeconds,
    environmentVariables: { ...ownVariables, ...modelVariables },
    queueUrlVariables,
    alarms,
    tags,
  };
}

/**
 * How long a handled event is remembered: as given (checked against the input queue's retention),
 * or by default long enough for any redelivery (retention) or redrive (the DLQ's retention) of it.
 */
function resolveIdempotencyExpiry(problems: Problems, subject: Subject, environment: EnvironmentName, given: number | undefined, input: ResolvedQueue | undefined): number {
  if (given === undefined) return input ? input.messageRetentionSeconds + input.deadLetterRetentionSeconds : IDEMPOTENCY_DEFAULTS.producerExpirySeconds;
  if (!problems.integerInRange(subject, 'idempotencyExpirySeconds', given, FUNCTION_LIMITS.idempotencyExpirySeconds)) return given;
  if (input && given <= input.messageRetentionSeconds) {
    problems.warn(
      { kind: 'function', name: subject.name, environment },
      `idempotencyExpirySeconds ${given} does not exceed the retention of its input queue "${input.name}" (${input.messageRetentionSeconds} s): a redelivery after ${given} s is handled again`,
    );
  }
  return given;
}

const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Lambda's own variables (AWS_…) cannot be set; 4 KB is Lambda's limit for all variables together. */
const MAX_VARIABLES_BYTES = 4096;

function checkOwnVariables(problems: Problems, subject: Subject, variables: unknown, reserved: readonly string[]): Record<string, string> {
  if (variables === undefined) return {};
  if (!problems.object(subject, 'environmentVariables', variables)) return {};
  const valid: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name) || name.startsWith('AWS_')) {
      problems.add(subject, `environmentVariables.${name}`, 'must be named with letters, digits and _ (starting with a letter), not AWS_…', name, 'rename the variable');
    } else if (reserved.includes(name)) {
      problems.add(subject, `environmentVariables.${name}`, 'must not replace a variable the model sets', name, `the model sets ${name}; rename yours`);
    } else if (typeof value !== 'string') {
      problems.add(subject, `environmentVariables.${name}`, 'must be a string', value);
    } else {
      valid[name] = value;
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(valid));
  if (bytes > MAX_VARIABLES_BYTES) problems.add(subject, 'environmentVariables', `must stay within Lambda's ${MAX_VARIABLES_BYTES} bytes`, `${bytes} bytes`, 'move large values to SSM Parameter Store');
  return valid;
}

function resolvePublishes(problems: Problems, subject: Subject, publishesTo: unknown, queueNames: ReadonlySet<string>): string[] {
  if (publishesTo === undefined) return [];
  if (!Array.isArray(publishesTo) || publishesTo.some((queue) => typeof queue !== 'string')) {
    problems.add(subject, 'publishesTo', 'must be an array of queue names', publishesTo);
    return [];
  }
  const byVariable = new Map<string, string>();
  for (const queue of publishesTo as string[]) {
    if (!queueNames.has(queue)) {
      problems.add(subject, 'publishesTo', `must name queues of the topology (${[...queueNames].join(', ')})`, queue, 'add the queue to the topology or fix the name');
    }
    // `audit-log` and `audit_log` would both be AUDIT_LOG_QUEUE_URL.
    const variable = queueUrlVariable(queue);
    const other = byVariable.get(variable);
    if (other !== undefined && other !== queue) {
      problems.add(subject, 'publishesTo', `must not name two queues whose URLs share the variable ${variable} ("${other}" and "${queue}")`, publishesTo, 'rename one of the queues');
    }
    byVariable.set(variable, queue);
  }
  return [...new Set(publishesTo as string[])];
}

/** What the consumer rules need to know of the queue a function consumes. */
export interface ConsumedQueueFacts {
  /** Logical name, e.g. `order`. */
  readonly name: string;
  readonly environment: EnvironmentName;
  /** The SQS queue name, for messages. */
  readonly queueName: string;
  readonly fifo: boolean;
  /** Unknown for a queue brought by ARN without it: the visibility rule is then not checked. */
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
}

/**
 * AWS: a visibility timeout below the function timeout is rejected when the mapping is created;
 * below 6 × timeout (+ window), retries of a throttled batch reappear while still in flight.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export function requiredVisibilitySeconds(timeoutSeconds: number, batchingWindowSeconds: number): number {
  return VISIBILITY_TO_TIMEOUT_FACTOR * timeoutSeconds + batchingWindowSeconds;
}

function resolveConsumer(
  problems: Problems,
  subject: Subject,
  consumer: ConsumerSettings,
  timeoutSeconds: number,
  layers: FunctionLayers,
): ResolvedConsumer | undefined {
  if (!problems.object(subject, 'consumes', consumer)) return undefined;
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
  return checkConsumer(problems, subject, consumer, timeoutSeconds, queue);
}

/**
 * Checks an event source mapping's settings against Lambda's limits and the queue it reads, and
 * returns them resolved. Also used for a consumer of a queue outside a topology.
 */
export function checkConsumer(
  problems: Problems,
  subject: Subject,
  consumer: Omit<ConsumerSettings, 'queue'> & { readonly queue?: string },
  timeoutSeconds: number,
  queue: ConsumedQueueFacts,
): ResolvedConsumer | undefined {
  problems.knownFields(subject, 'consumes: ', consumer, CONSUMER_FIELDS);
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

  const queueSubject: Subject = { kind: 'queue', name: queue.name, environment: queue.environment };
  if (Number.isInteger(timeoutSeconds) && windowValid && queue.visibilityTimeoutSeconds !== undefined) {
    const required = requiredVisibilitySeconds(timeoutSeconds, window);
    if (queue.visibilityTimeoutSeconds < required) {
      const windowPart = window > 0 ? ` + ${window} s batching window` : '';
      problems.add(
        queueSubject,
        'visibilityTimeoutSeconds',
        `must be at least ${VISIBILITY_TO_TIMEOUT_FACTOR} × the consumer's timeout${windowPart} (${VISIBILITY_TO_TIMEOUT_FACTOR} × ${timeoutSeconds} s${windowPart} = ${required} s)`,
        queue.visibilityTimeoutSeconds,
        `raise visibilityTimeoutSeconds to ${required} or lower function "${subject.name}" timeoutSeconds to ${Math.max(1, Math.floor((queue.visibilityTimeoutSeconds - window) / VISIBILITY_TO_TIMEOUT_FACTOR))}`,
      );
    }
  } else if (queue.visibilityTimeoutSeconds === undefined && subject.environment !== undefined) {
    problems.warn(
      { ...queueSubject, environment: subject.environment },
      `its visibility timeout is not known, so the rule "visibility ≥ ${VISIBILITY_TO_TIMEOUT_FACTOR} × function timeout" was not checked for "${subject.name}"; pass visibilityTimeoutSeconds with the queue`,
    );
  }
  if (queue.maxReceiveCount !== undefined && queue.maxReceiveCount < LAMBDA_MIN_RECOMMENDED_RECEIVE_COUNT && subject.environment !== undefined) {
    problems.warn(
      { ...queueSubject, environment: subject.environment },
      `maxReceiveCount ${queue.maxReceiveCount} is below ${LAMBDA_MIN_RECOMMENDED_RECEIVE_COUNT} with a Lambda consumer ("${subject.name}"); throttled invocations can dead-letter healthy messages`,
    );
  }
  if (problems.count > before) return undefined;
  return {
    queue: consumer.queue ?? queue.name,
    batchSize,
    maximumBatchingWindowSeconds: window,
    ...(consumer.maximumConcurrency !== undefined ? { maximumConcurrency: consumer.maximumConcurrency } : {}),
  };
}
