/** Resolves one queue/DLQ pair for one environment: merges defaults and overrides, checks every SQS rule. */
import { QUEUE_DEFAULTS } from '../defaults';
import { definedFields } from '../defined-fields';
import { consumePolicyDescription } from '../graph/descriptions';
import type { EnvironmentName, QueueAlarmSettings, QueueDefinition, QueueSettings } from '../input';
import { NAME_PATTERN, NAME_RULES, QUEUE_LIMITS } from '../limits';
import { deadLetterQueueName, policyName, queueName } from '../naming';
import type { Problems, Subject } from '../problems';
import { checkDerivedName } from '../rules/names';
import { checkAlarmSettingsShape, resolveQueueAlarms } from './alarms';
import type { ResolvedEncryption, ResolvedQueue } from './resolved';
import { checkMergedTagCount, checkTags } from './tags';

export const QUEUE_SETTING_FIELDS: readonly (keyof QueueSettings)[] = [
  'fifo',
  'contentBasedDeduplication',
  'highThroughputFifo',
  'deduplicationScope',
  'fifoThroughputLimit',
  'visibilityTimeoutSeconds',
  'messageRetentionSeconds',
  'deliveryDelaySeconds',
  'receiveWaitTimeSeconds',
  'maximumMessageSizeBytes',
  'maxReceiveCount',
  'deadLetterRetentionSeconds',
  'alarms',
  'tags',
];
const QUEUE_DEFINITION_FIELDS: readonly string[] = ['name', 'description', ...QUEUE_SETTING_FIELDS];
const FIFO_ONLY_FIELDS = ['contentBasedDeduplication', 'highThroughputFifo', 'deduplicationScope', 'fifoThroughputLimit'] as const;
const NUMERIC_FIELDS = [
  'visibilityTimeoutSeconds',
  'messageRetentionSeconds',
  'deliveryDelaySeconds',
  'receiveWaitTimeSeconds',
  'maximumMessageSizeBytes',
  'maxReceiveCount',
  'deadLetterRetentionSeconds',
] as const;

/** Inputs for one queue in one environment, most general first. */
export interface QueueLayers {
  readonly definition: QueueDefinition;
  /** What every name of the environment starts with (`<scope>-<environment>`). */
  readonly namePrefix: string;
  /** Alarm settings of the whole environment. */
  readonly environmentAlarms?: QueueAlarmSettings;
  /** The environment's override for this queue. */
  readonly override?: QueueSettings;
  readonly encryption: ResolvedEncryption;
  /** Environment-wide tags (Environment and ManagedBy included). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Checks a queue definition's own fields (shape, name); reports into `problems`. */
export function checkQueueDefinitionShape(problems: Problems, environment: EnvironmentName, definition: unknown): definition is QueueDefinition {
  const subject: Subject = { kind: 'queue', environment };
  if (!problems.object(subject, 'queue definition', definition)) return false;
  const name = (definition as { name?: unknown }).name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    problems.add(subject, 'name', 'must be a non-empty string of letters, digits, "-" and "_"', name);
    return false;
  }
  const named: Subject = { kind: 'queue', name, environment };
  problems.knownFields(named, '', definition, QUEUE_DEFINITION_FIELDS);
  return true;
}

/** Checks an environment's per-queue override object (field names only; values are checked merged). */
export function checkQueueOverrideShape(problems: Problems, subject: Subject, value: unknown): value is QueueSettings {
  if (!problems.object(subject, 'override', value)) return false;
  problems.knownFields(subject, 'override: ', value, QUEUE_SETTING_FIELDS);
  return true;
}

export function resolveQueue(problems: Problems, environment: EnvironmentName, layers: QueueLayers): ResolvedQueue | undefined {
  const { definition, override } = layers;
  const subject: Subject = { kind: 'queue', name: definition.name, environment };
  const merged = { ...QUEUE_DEFAULTS, ...definedFields(definition), ...definedFields(override) };
  const before = problems.count;

  const fifo = merged.fifo;
  problems.boolean(subject, 'fifo', fifo);
  const isFifo = fifo === true;

  for (const field of NUMERIC_FIELDS) {
    problems.integerInRange(subject, field, merged[field], QUEUE_LIMITS[field]);
  }

  // FIFO-only attributes on a standard queue are rejected by SQS at deploy time; catch them here.
  if (!isFifo) {
    for (const field of FIFO_ONLY_FIELDS) {
      const value = (definition as QueueSettings)[field] ?? override?.[field];
      if (value !== undefined && value !== false) {
        problems.add(subject, field, 'applies only to FIFO queues', value, 'set fifo: true or remove it');
      }
    }
  }

  let fifoSettings: ResolvedQueue['fifoSettings'];
  if (isFifo) fifoSettings = resolveFifoSettings(problems, subject, merged);

  // Standard queues: a message's age counts from its original enqueue time, so a DLQ that keeps
  // messages no longer than the source drops them on arrival. (FIFO resets the timestamp.)
  if (
    !isFifo &&
    Number.isInteger(merged.deadLetterRetentionSeconds) &&
    Number.isInteger(merged.messageRetentionSeconds) &&
    merged.deadLetterRetentionSeconds <= merged.messageRetentionSeconds
  ) {
    problems.add(
      subject,
      'deadLetterRetentionSeconds',
      `must be greater than messageRetentionSeconds (${merged.messageRetentionSeconds})`,
      merged.deadLetterRetentionSeconds,
      'a standard message keeps its original enqueue time in the DLQ; raise the DLQ retention or lower the queue retention',
    );
  }

  const names = {
    queueName: queueName(layers.namePrefix, definition.name, isFifo),
    deadLetterQueueName: deadLetterQueueName(layers.namePrefix, definition.name, isFifo),
    sendPolicyName: policyName(layers.namePrefix, definition.name, 'send'),
    consumePolicyName: policyName(layers.namePrefix, definition.name, 'consume'),
  };
  const shorten = 'shorten the queue name, the environment name or the scope';
  const derived = (value: string, rule: (typeof NAME_RULES)[keyof typeof NAME_RULES]) =>
    checkDerivedName(problems, { subject, field: 'name', provided: definition.name, value, rule, fix: shorten });
  // The queue's name is the longer of the two; the DLQ's is checked too for its own characters.
  derived(names.queueName, NAME_RULES.sqsQueue);
  derived(names.deadLetterQueueName, NAME_RULES.sqsQueue);
  derived(names.sendPolicyName, NAME_RULES.iamPolicy);
  derived(names.consumePolicyName, NAME_RULES.iamPolicy);
  derived(consumePolicyDescription(names.queueName), NAME_RULES.iamDescription);

  if (definition.description !== undefined && typeof definition.description !== 'string') {
    problems.add(subject, 'description', 'must be a string', definition.description);
  }

  checkAlarmSettingsShape(problems, subject, '', definition.alarms);
  checkAlarmSettingsShape(problems, subject, 'override ', override?.alarms);
  const alarms = resolveQueueAlarms(problems, subject, layers.namePrefix, { name: definition.name, ...names }, [
    layers.environmentAlarms,
    definition.alarms,
    override?.alarms,
  ]);

  const tagsValid = checkTags(problems, subject, 'tags', definition.tags) && checkTags(problems, subject, 'override tags', override?.tags);
  const tags = { ...layers.tags, ...definition.tags, ...override?.tags, Queue: definition.name };
  // The queues add a Role tag of their own (queue / dead-letter-queue).
  if (tagsValid) checkMergedTagCount(problems, subject, `queue ${names.queueName}`, { ...tags, Role: 'queue' });

  if (problems.count > before || !tagsValid) return undefined;
  return {
    resolved: true,
    environment,
    name: definition.name,
    description: definition.description ?? `${definition.name} messages`,
    fifo: isFifo,
    ...names,
    visibilityTimeoutSeconds: merged.visibilityTimeoutSeconds,
    messageRetentionSeconds: merged.messageRetentionSeconds,
    deliveryDelaySeconds: merged.deliveryDelaySeconds,
    receiveWaitTimeSeconds: merged.receiveWaitTimeSeconds,
    maximumMessageSizeBytes: merged.maximumMessageSizeBytes,
    maxReceiveCount: merged.maxReceiveCount,
    deadLetterRetentionSeconds: merged.deadLetterRetentionSeconds,
    ...(fifoSettings ? { fifoSettings } : {}),
    encryption: layers.encryption,
    alarms,
    tags,
  };
}

function resolveFifoSettings(problems: Problems, subject: Subject, merged: QueueSettings): NonNullable<ResolvedQueue['fifoSettings']> {
  const contentBasedDeduplication = merged.contentBasedDeduplication ?? false;
  problems.boolean(subject, 'contentBasedDeduplication', contentBasedDeduplication);
  const highThroughput = merged.highThroughputFifo ?? false;
  problems.boolean(subject, 'highThroughputFifo', highThroughput);
  const deduplicationScope = merged.deduplicationScope ?? (highThroughput ? 'messageGroup' : 'queue');
  const fifoThroughputLimit = merged.fifoThroughputLimit ?? (highThroughput ? 'perMessageGroupId' : 'perQueue');
  problems.oneOf(subject, 'deduplicationScope', deduplicationScope, ['queue', 'messageGroup'] as const);
  problems.oneOf(subject, 'fifoThroughputLimit', fifoThroughputLimit, ['perQueue', 'perMessageGroupId'] as const);
  // High throughput needs both attributes; SQS rejects perMessageGroupId with a queue-wide scope.
  if (fifoThroughputLimit === 'perMessageGroupId' && deduplicationScope !== 'messageGroup') {
    problems.add(
      subject,
      'deduplicationScope',
      'must be "messageGroup" when fifoThroughputLimit is "perMessageGroupId"',
      deduplicationScope,
      'set highThroughputFifo: true, or set both deduplicationScope: "messageGroup" and fifoThroughputLimit: "perMessageGroupId"',
    );
  }
  if (highThroughput === true && fifoThroughputLimit !== 'perMessageGroupId') {
    problems.add(
      subject,
      'fifoThroughputLimit',
      'must be "perMessageGroupId" when highThroughputFifo is true',
      fifoThroughputLimit,
      'remove fifoThroughputLimit or highThroughputFifo',
    );
  }
  return { contentBasedDeduplication, deduplicationScope, fifoThroughputLimit };
}
