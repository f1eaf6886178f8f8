/**
 * Entry point of the spec layer: topology + environment profiles → one fully-resolved spec per
 * environment. Every violation in every requested environment is collected and thrown once.
 */
import {
  DATA_KEY_REUSE_DEFAULT_SECONDS,
  ALERT_DEFAULTS,
  ENCRYPTION_DEFAULT,
  LOG_RETENTION_DAYS_DEFAULT,
  MANAGED_BY_TAG,
} from './defaults';
import { KMS_LIMITS } from './limits';
import { alertTopicName, kmsKeyAlias } from './naming';
import { Problems, type Subject } from './problems';
import { checkAlarmSettingsShape } from './resolve-alarms';
import { checkFunctionDefinitionShape, checkFunctionOverrideShape, resolveFunction } from './resolve-function';
import { checkQueueDefinitionShape, checkQueueOverrideShape, resolveQueue } from './resolve-queue';
import { checkTags } from './tags';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentName,
  type EnvironmentProfile,
  type EnvironmentProfiles,
  type FunctionDefinition,
  type QueueAlarmSettings,
  type QueueDefinition,
  type ResolvedAlerts,
  type ResolvedEncryption,
  type ResolvedEnvironment,
  type ResolvedFunction,
  type ResolvedQueue,
  type SpecWarning,
  type Topology,
} from './types';

const PROFILE_FIELDS: readonly (keyof EnvironmentProfile)[] = [
  'region',
  'encryption',
  'alerts',
  'alarms',
  'queues',
  'functionDefaults',
  'functions',
  'logRetentionDays',
  'tags',
  'remoteState',
];
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Resolves several environments (all three by default), throwing once with every problem found. */
export function resolveEnvironments(
  topology: Topology,
  profiles: EnvironmentProfiles,
  environments: readonly string[] = ENVIRONMENT_NAMES,
): ResolvedEnvironment[] {
  const problems = new Problems();
  const resolved = environments.map((environment) => resolveInto(problems, topology, profiles, environment));
  problems.throwIfAny();
  return resolved as ResolvedEnvironment[];
}

/** Resolves one environment; throws a SpecValidationError listing every problem. */
export function resolveEnvironment(topology: Topology, profiles: EnvironmentProfiles, environment: string): ResolvedEnvironment {
  return resolveEnvironments(topology, profiles, [environment])[0]!;
}

/** Warnings of several environments, each distinct message once (environments merged). */
export function distinctWarnings(environments: readonly ResolvedEnvironment[]): string[] {
  const grouped = new Map<string, { warning: SpecWarning; environments: string[] }>();
  for (const warning of environments.flatMap((env) => env.warnings)) {
    const key = `${warning.subject}\0${warning.message}`;
    const group = grouped.get(key) ?? { warning, environments: [] };
    group.environments.push(warning.environment);
    grouped.set(key, group);
  }
  return [...grouped.values()].map(({ warning, environments: envs }) => `${warning.subject} (${envs.join(', ')}): ${warning.message}`);
}

export function isEnvironmentName(value: unknown): value is EnvironmentName {
  return ENVIRONMENT_NAMES.includes(value as EnvironmentName);
}

function resolveInto(
  problems: Problems,
  topology: Topology,
  profiles: EnvironmentProfiles,
  environment: string,
): ResolvedEnvironment | undefined {
  if (!isEnvironmentName(environment)) {
    problems.add(
      { kind: 'environment' },
      'name',
      `must be one of ${ENVIRONMENT_NAMES.map((e) => JSON.stringify(e)).join(', ')}`,
      environment,
      'pick one of the environments in stacks/environments.ts',
    );
    return undefined;
  }
  const subject: Subject = { kind: 'environment', name: environment };
  const profile: unknown = (profiles as Record<string, unknown> | undefined)?.[environment];
  if (!problems.object(subject, 'profile', profile)) return undefined;
  problems.knownFields(subject, 'profile: ', profile, PROFILE_FIELDS);
  const envProfile = profile as EnvironmentProfile;
  const before = problems.count;

  if (envProfile.region !== undefined && (typeof envProfile.region !== 'string' || !REGION.test(envProfile.region))) {
    problems.add(subject, 'region', 'must be an AWS region such as "eu-west-1"', envProfile.region, 'or leave it out to use AWS_REGION');
  }
  const logRetentionDays = envProfile.logRetentionDays ?? LOG_RETENTION_DAYS_DEFAULT;
  checkTags(problems, subject, 'tags', envProfile.tags);
  const tags = { ...envProfile.tags, Environment: environment, ...MANAGED_BY_TAG };
  const encryption = resolveEncryption(problems, subject, envProfile.encryption);
  const alerts = resolveAlerts(problems, subject, environment, envProfile.alerts);
  checkAlarmSettingsShape(problems, subject, '', envProfile.alarms);
  const remoteState = resolveRemoteState(problems, subject, environment, envProfile.remoteState);

  const queueDefinitions = checkedList<QueueDefinition>(problems, environment, 'queues', topology?.queues, checkQueueDefinitionShape);
  const functionDefinitions = checkedList<FunctionDefinition>(problems, environment, 'functions', topology?.functions ?? [], checkFunctionDefinitionShape);
  const queueNames = new Set(queueDefinitions.map((q) => q.name));
  const functionNames = new Set(functionDefinitions.map((f) => f.name));
  checkOverrideKeys(problems, subject, 'queues', envProfile.queues, queueNames, (name, value) =>
    checkQueueOverrideShape(problems, { kind: 'queue', name, environment }, value),
  );
  checkOverrideKeys(problems, subject, 'functions', envProfile.functions, functionNames, (name, value) =>
    checkFunctionOverrideShape(problems, { kind: 'function', name, environment }, 'override', value),
  );
  if (envProfile.functionDefaults !== undefined) checkFunctionOverrideShape(problems, subject, 'functionDefaults', envProfile.functionDefaults);

  const queues = new Map<string, ResolvedQueue>();
  for (const definition of queueDefinitions) {
    const queue = resolveQueue(problems, environment, {
      definition,
      environmentAlarms: envProfile.alarms as QueueAlarmSettings | undefined,
      override: envProfile.queues?.[definition.name],
      encryption,
      tags,
    });
    if (queue) queues.set(queue.name, queue);
  }
  const createsKey = encryption.type === 'kms' && encryption.keyArn === undefined;
  // Log groups use the environment's key only when the environment creates it: then its key
  // policy admits CloudWatch Logs (see EncryptionSettings.keyArn for an existing key).
  const logEncryption = createsKey ? 'environment-key' : 'cloudwatch-logs';
  const functions: ResolvedFunction[] = [];
  for (const definition of functionDefinitions) {
    const fn = resolveFunction(problems, environment, {
      definition,
      environmentDefaults: envProfile.functionDefaults,
      override: envProfile.functions?.[definition.name],
      logRetentionDays,
      logEncryption,
      queues,
      queueNames,
      tags,
    });
    if (fn) functions.push(fn);
  }
  warnOnSharedConsumers(problems, environment, functions);

  if (problems.count > before) return undefined;
  return {
    environment,
    ...(envProfile.region !== undefined ? { region: envProfile.region } : {}),
    encryption,
    ...(createsKey ? { kmsKeyAlias: kmsKeyAlias(environment) } : {}),
    alerts,
    queues: [...queues.values()],
    functions,
    tags,
    ...(remoteState ? { remoteState } : {}),
    warnings: problems.warningsFor(environment),
  };
}

/** Checks a list of definitions (array, shapes, duplicate names) and returns the well-formed ones. */
function checkedList<T extends { name: string }>(
  problems: Problems,
  environment: EnvironmentName,
  field: 'queues' | 'functions',
  list: unknown,
  checkShape: (problems: Problems, environment: EnvironmentName, value: unknown) => value is T,
): T[] {
  const subject: Subject = { kind: 'topology', environment };
  if (!Array.isArray(list)) {
    problems.add(subject, field, 'must be an array', list);
    return [];
  }
  const seen = new Set<string>();
  const result: T[] = [];
  for (const item of list) {
    if (!checkShape(problems, environment, item)) continue;
    if (seen.has(item.name)) {
      problems.add(
        { kind: field === 'queues' ? 'queue' : 'function', name: item.name, environment },
        'name',
        'must be unique in the topology',
        item.name,
        `rename one of the ${field} called "${item.name}"`,
      );
      continue;
    }
    seen.add(item.name);
    result.push(item);
  }
  return result;
}

function checkOverrideKeys(
  problems: Problems,
  subject: Subject,
  field: 'queues' | 'functions',
  overrides: unknown,
  known: ReadonlySet<string>,
  checkShape: (name: string, value: unknown) => void,
): void {
  if (overrides === undefined) return;
  if (!problems.object(subject, field, overrides)) return;
  for (const [name, value] of Object.entries(overrides)) {
    if (!known.has(name)) {
      problems.add(subject, `${field}.${name}`, `must override one of the topology's ${field} (${[...known].join(', ')})`, name, 'fix the name or remove the override');
      continue;
    }
    checkShape(name, value);
  }
}

function resolveEncryption(problems: Problems, subject: Subject, encryption: unknown): ResolvedEncryption {
  if (encryption === undefined) return ENCRYPTION_DEFAULT;
  if (!problems.object(subject, 'encryption', encryption)) return ENCRYPTION_DEFAULT;
  const { type, keyArn, dataKeyReusePeriodSeconds } = encryption as Record<string, unknown>;
  if (!problems.oneOf(subject, 'encryption.type', type, ['sqs-managed', 'kms'] as const)) return ENCRYPTION_DEFAULT;
  if (type === 'sqs-managed') {
    problems.knownFields(subject, 'encryption: ', encryption, ['type']);
    return ENCRYPTION_DEFAULT;
  }
  problems.knownFields(subject, 'encryption: ', encryption, ['type', 'keyArn', 'dataKeyReusePeriodSeconds']);
  if (keyArn !== undefined && (typeof keyArn !== 'string' || !KMS_KEY_ARN.test(keyArn))) {
    problems.add(subject, 'encryption.keyArn', 'must be a KMS key or alias ARN', keyArn, 'or leave it out to create a key for this environment');
  }
  const reuse = dataKeyReusePeriodSeconds ?? DATA_KEY_REUSE_DEFAULT_SECONDS;
  problems.integerInRange(subject, 'encryption.dataKeyReusePeriodSeconds', reuse, KMS_LIMITS.dataKeyReusePeriodSeconds);
  return {
    type: 'kms',
    ...(typeof keyArn === 'string' ? { keyArn } : {}),
    dataKeyReusePeriodSeconds: reuse as number,
  };
}

function resolveAlerts(problems: Problems, subject: Subject, environment: EnvironmentName, alerts: unknown): ResolvedAlerts {
  const input = alerts === undefined ? {} : alerts;
  if (!problems.object(subject, 'alerts', input)) return { ...ALERT_DEFAULTS, topicName: alertTopicName(environment) };
  problems.knownFields(subject, 'alerts: ', input, ['topicArn', 'actionsEnabled', 'okActions']);
  const { topicArn, actionsEnabled = ALERT_DEFAULTS.actionsEnabled, okActions = ALERT_DEFAULTS.okActions } = input as Record<string, unknown>;
  problems.boolean(subject, 'alerts.actionsEnabled', actionsEnabled);
  problems.boolean(subject, 'alerts.okActions', okActions);
  if (topicArn !== undefined && (typeof topicArn !== 'string' || !SNS_TOPIC_ARN.test(topicArn))) {
    problems.add(subject, 'alerts.topicArn', 'must be an SNS topic ARN', topicArn, 'or leave it out to create one');
  }
  return {
    ...(typeof topicArn === 'string' ? { existingTopicArn: topicArn } : { topicName: alertTopicName(environment) }),
    actionsEnabled: actionsEnabled === true,
    okActions: okActions === true,
  };
}

function resolveRemoteState(problems: Problems, subject: Subject, environment: EnvironmentName, remoteState: unknown): ResolvedEnvironment['remoteState'] {
  if (remoteState === undefined) return undefined;
  if (!problems.object(subject, 'remoteState', remoteState)) return undefined;
  problems.knownFields(subject, 'remoteState: ', remoteState, ['bucket', 'key', 'region', 'dynamodbTable', 'useLockfile']);
  const { bucket, key, region, dynamodbTable, useLockfile = true } = remoteState as Record<string, unknown>;
  if (typeof bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.add(subject, 'remoteState.bucket', 'must be an S3 bucket name', bucket);
  }
  if (key !== undefined && (typeof key !== 'string' || key.length === 0)) problems.add(subject, 'remoteState.key', 'must be a non-empty string', key);
  if (region !== undefined && (typeof region !== 'string' || !REGION.test(region))) problems.add(subject, 'remoteState.region', 'must be an AWS region', region);
  if (dynamodbTable !== undefined && typeof dynamodbTable !== 'string') problems.add(subject, 'remoteState.dynamodbTable', 'must be a string', dynamodbTable);
  problems.boolean(subject, 'remoteState.useLockfile', useLockfile);
  return {
    bucket: bucket as string,
    key: (key as string | undefined) ?? `${environment}/messaging.tfstate`,
    useLockfile: useLockfile as boolean,
    ...(region !== undefined ? { region: region as string } : {}),
    ...(dynamodbTable !== undefined ? { dynamodbTable: dynamodbTable as string } : {}),
  };
}

/** Two functions on one queue compete for its messages; usually a copy-paste slip. */
function warnOnSharedConsumers(problems: Problems, environment: EnvironmentName, functions: readonly ResolvedFunction[]): void {
  const byQueue = new Map<string, string[]>();
  for (const fn of functions) {
    if (fn.consumes) byQueue.set(fn.consumes.queue, [...(byQueue.get(fn.consumes.queue) ?? []), fn.name]);
  }
  for (const [queue, consumers] of byQueue) {
    if (consumers.length > 1) {
      problems.warn(
        { kind: 'queue', name: queue, environment },
        `is consumed by ${consumers.join(' and ')}; each message goes to only one of them (use SNS fan-out to deliver to all)`,
      );
    }
  }
}
