/**
 * Entry point of the resolve layer: topology + environment profiles → one fully-resolved,
 * validated set of settings per environment. Every violation in every requested environment is
 * collected and thrown once; an unknown environment does not hide the other problems.
 */
import { ALERT_DEFAULTS, DATA_KEY_REUSE_DEFAULT_SECONDS, ENCRYPTION_DEFAULT, IDEMPOTENCY_DEFAULTS, LOG_RETENTION_DAYS_DEFAULT, MANAGED_BY_TAG } from '../defaults';
import { environmentKeyDescription, operatorPolicyDescription } from '../graph/descriptions';
import type { EnvironmentName, EnvironmentProfile, EnvironmentProfiles, FunctionDefinition, QueueAlarmSettings, QueueDefinition, Topology } from '../input';
import { ENVIRONMENT_NAME_PATTERN, KMS_LIMITS, NAME_RULES } from '../limits';
import { alertTopicName, idempotencyTableName, kmsKeyAlias, namePrefix as prefixOf, operatorPolicyName, remoteStateKey } from '../naming';
import type { Problems, Subject } from '../problems';
import { checkLoops } from '../rules/loops';
import { checkDerivedName, s3BucketNameProblem } from '../rules/names';
import { checkAlarmSettingsShape } from './alarms';
import { resolveDashboard } from './dashboard';
import { resolveParameters } from './parameters';
import { checkFunctionDefinitionShape, checkFunctionOverrideShape, resolveFunction } from './function';
import { checkQueueDefinitionShape, checkQueueOverrideShape, resolveQueue } from './queue';
import type {
  ResolvedAlerts,
  ResolvedEncryption,
  ResolvedEnvironment,
  ResolvedFunction,
  ResolvedIdempotencyTable,
  ResolvedQueue,
  ResolvedRemoteState,
  SpecWarning,
} from './resolved';
import { checkTags } from './tags';

const PROFILE_FIELDS: readonly (keyof EnvironmentProfile)[] = [
  'scope',
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
  'idempotency',
  'dashboard',
  'parameters',
];
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Resolves the requested environments (every profile by default) into `problems`. Returns every
 * environment that could be resolved at all, made of its valid queues and functions, so later
 * checks (name collisions) still run where something else was wrong: one run reports every problem.
 * `build.ts` is the public entry point.
 */
export function resolveAll(problems: Problems, topology: Topology, profiles: EnvironmentProfiles, environments?: readonly string[]): ResolvedEnvironment[] {
  const known = checkProfiles(problems, profiles);
  const requested = checkRequested(problems, environments ?? known, known);
  const resolved = requested.map((environment) => resolveInto(problems, topology, (profiles as Record<string, unknown>)[environment], environment));
  // Nothing resolvable was asked for (an unknown name, no profiles): still report what is wrong
  // with the topology itself, under the name asked for, so one run shows every problem.
  if (requested.length === 0 && topology !== undefined) {
    const asked = (Array.isArray(environments) ? environments : []).find((name) => ENVIRONMENT_NAME_PATTERN.test(String(name)));
    resolveInto(problems, topology, {}, asked ?? 'development');
  }
  return resolved.filter((environment): environment is ResolvedEnvironment => environment !== undefined);
}

/** Warnings of several environments, each distinct message once (environments merged). */
export function distinctWarnings(environments: readonly { readonly warnings: readonly SpecWarning[] }[]): string[] {
  const grouped = new Map<string, { warning: SpecWarning; environments: string[] }>();
  for (const warning of environments.flatMap((env) => env.warnings)) {
    const key = `${warning.subject}\0${warning.message}`;
    const group = grouped.get(key) ?? { warning, environments: [] };
    group.environments.push(warning.environment);
    grouped.set(key, group);
  }
  return [...grouped.values()].map(({ warning, environments: envs }) => `${warning.subject} (${envs.join(', ')}): ${warning.message}`);
}

/** The environment names the profiles define (those with a valid name). */
function checkProfiles(problems: Problems, profiles: unknown): string[] {
  const subject: Subject = { kind: 'environment' };
  if (!problems.object(subject, 'profiles', profiles)) return [];
  const names = Object.keys(profiles);
  if (names.length === 0) problems.addMessage(subject, 'profiles must define at least one environment, e.g. { development: {} }');
  return names.filter((name) => checkEnvironmentName(problems, { kind: 'environment', name }, 'name', name));
}

/** Checks an environment name or scope: the start of every resource name. */
export function checkEnvironmentName(problems: Problems, subject: Subject, field: string, value: unknown): value is string {
  if (typeof value === 'string' && ENVIRONMENT_NAME_PATTERN.test(value)) return true;
  problems.add(subject, field, 'must be lowercase letters, digits and "-", starting with a letter and not ending with "-"', value, 'e.g. "qa" or "pr-123"');
  return false;
}

function checkRequested(problems: Problems, requested: unknown, known: readonly string[]): string[] {
  const subject: Subject = { kind: 'environment' };
  if (!Array.isArray(requested)) {
    problems.add(subject, 'environments', 'must be a list of environment names', requested);
    return [];
  }
  const seen = new Set<string>();
  const result: string[] = [];
  for (const environment of requested) {
    if (seen.has(environment)) {
      problems.add(subject, 'name', 'must be asked for once', environment, 'remove the repeated environment');
      continue;
    }
    seen.add(environment);
    if (!known.includes(environment)) {
      problems.add(
        subject,
        'name',
        known.length > 0 ? `must be one of the environments the profiles define (${known.join(', ')})` : 'must be defined by a profile',
        environment,
        'add a profile for it (stacks/environments.ts) or pick a defined one',
      );
      continue;
    }
    result.push(environment);
  }
  return result;
}

function resolveInto(problems: Problems, topology: unknown, profile: unknown, environment: EnvironmentName): ResolvedEnvironment | undefined {
  const subject: Subject = { kind: 'environment', name: environment };
  if (!problems.object(subject, 'profile', profile)) return undefined;
  problems.knownFields(subject, 'profile: ', profile, PROFILE_FIELDS);
  const envProfile = profile as EnvironmentProfile;

  const scope = envProfile.scope === undefined || checkEnvironmentName(problems, subject, 'scope', envProfile.scope) ? envProfile.scope : undefined;
  const prefix = prefixOf(environment, scope);
  if (envProfile.region !== undefined && (typeof envProfile.region !== 'string' || !REGION.test(envProfile.region))) {
    problems.add(subject, 'region', 'must be an AWS region such as "eu-west-1"', envProfile.region, 'or leave it out to use AWS_REGION');
  }
  const logRetentionDays = envProfile.logRetentionDays ?? LOG_RETENTION_DAYS_DEFAULT;
  checkTags(problems, subject, 'tags', envProfile.tags);
  const tags = { ...envProfile.tags, Environment: environment, ...MANAGED_BY_TAG };
  const encryption = resolveEncryption(problems, subject, envProfile.encryption);
  const createsKey = encryption.type === 'kms' && encryption.keyArn === undefined;
  if (createsKey) {
    checkDerivedName(problems, { subject, field: 'name', provided: environment, value: kmsKeyAlias(prefix), rule: NAME_RULES.kmsAlias });
    checkDerivedName(problems, { subject, field: 'name', provided: environment, value: environmentKeyDescription(kmsKeyAlias(prefix)), rule: NAME_RULES.iamDescription });
  }
  const alerts = resolveAlerts(problems, subject, prefix, envProfile.alerts);
  checkAlarmSettingsShape(problems, subject, '', envProfile.alarms);
  const remoteState = resolveRemoteState(problems, subject, environment, scope, envProfile.remoteState);

  if (!problems.object({ kind: 'topology', environment }, 'topology', topology)) return undefined;
  const { queues: queueList, functions: functionList } = topology as unknown as Topology;
  const queueDefinitions = checkedList<QueueDefinition>(problems, environment, 'queues', queueList, checkQueueDefinitionShape);
  const functionDefinitions = checkedList<FunctionDefinition>(problems, environment, 'functions', functionList ?? [], checkFunctionDefinitionShape);
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
      namePrefix: prefix,
      environmentAlarms: envProfile.alarms as QueueAlarmSettings | undefined,
      override: envProfile.queues?.[definition.name],
      encryption,
      tags,
    });
    if (queue) queues.set(queue.name, queue);
  }
  // Log groups use the environment's key only when the environment creates it: then its key
  // policy admits CloudWatch Logs (see EncryptionSettings.keyArn for an existing key).
  const logEncryption = createsKey ? 'environment-key' : 'cloudwatch-logs';
  const functions: ResolvedFunction[] = [];
  for (const definition of functionDefinitions) {
    const fn = resolveFunction(problems, environment, {
      definition,
      namePrefix: prefix,
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
  checkLoops(problems, environment, functionDefinitions);
  warnOnSharedConsumers(problems, environment, functions);
  const idempotencyTable = functionDefinitions.length > 0 ? resolveIdempotencyTable(problems, subject, prefix, envProfile.idempotency) : undefined;
  if (queueDefinitions.length > 0) {
    checkDerivedName(problems, { subject, field: 'name', provided: environment, value: operatorPolicyName(prefix), rule: NAME_RULES.iamPolicy, fix: 'shorten the environment name or the scope' });
    checkDerivedName(problems, { subject, field: 'name', provided: environment, value: operatorPolicyDescription(prefix), rule: NAME_RULES.iamDescription });
  }
  const dashboard = resolveDashboard(problems, subject, prefix, envProfile.dashboard);
  const parameters = resolveParameters(problems, subject, { environment, ...(scope !== undefined ? { scope } : {}), prefix }, [...queues.keys()], envProfile.parameters);
  if (scope !== envProfile.scope) return undefined;

  return {
    environment,
    ...(scope !== undefined ? { scope } : {}),
    namePrefix: prefix,
    ...(envProfile.region !== undefined ? { region: envProfile.region } : {}),
    encryption,
    ...(createsKey ? { kmsKeyAlias: kmsKeyAlias(prefix) } : {}),
    alerts,
    queues: [...queues.values()],
    functions,
    tags,
    ...(remoteState ? { remoteState } : {}),
    ...(idempotencyTable ? { idempotencyTable } : {}),
    ...(dashboard ? { dashboard } : {}),
    ...(parameters ? { parameters } : {}),
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
    problems.add(subject, field, 'must be an array', list, field === 'queues' ? 'e.g. queues: [{ name: "orders" }]' : undefined);
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

function resolveAlerts(problems: Problems, subject: Subject, prefix: string, alerts: unknown): ResolvedAlerts {
  const input = alerts === undefined ? {} : alerts;
  if (!problems.object(subject, 'alerts', input)) return { ...ALERT_DEFAULTS, topicName: alertTopicName(prefix) };
  problems.knownFields(subject, 'alerts: ', input, ['topicArn', 'actionsEnabled', 'okActions']);
  const { topicArn, actionsEnabled = ALERT_DEFAULTS.actionsEnabled, okActions = ALERT_DEFAULTS.okActions } = input as Record<string, unknown>;
  problems.boolean(subject, 'alerts.actionsEnabled', actionsEnabled);
  problems.boolean(subject, 'alerts.okActions', okActions);
  if (topicArn !== undefined && (typeof topicArn !== 'string' || !SNS_TOPIC_ARN.test(topicArn))) {
    problems.add(subject, 'alerts.topicArn', 'must be an SNS topic ARN', topicArn, 'or leave it out to create one');
  }
  if (topicArn === undefined) {
    checkDerivedName(problems, { subject, field: 'name', provided: subject.name, value: alertTopicName(prefix), rule: NAME_RULES.snsTopic });
  }
  return {
    ...(typeof topicArn === 'string' ? { existingTopicArn: topicArn } : { topicName: alertTopicName(prefix) }),
    actionsEnabled: actionsEnabled === true,
    okActions: okActions === true,
  };
}

function resolveRemoteState(
  problems: Problems,
  subject: Subject,
  environment: string,
  scope: string | undefined,
  remoteState: unknown,
): ResolvedRemoteState | undefined {
  if (remoteState === undefined) return undefined;
  if (!problems.object(subject, 'remoteState', remoteState)) return undefined;
  problems.knownFields(subject, 'remoteState: ', remoteState, ['bucket', 'key', 'region', 'dynamodbTable', 'useLockfile']);
  const { bucket, key = remoteStateKey(environment, scope), region, dynamodbTable, useLockfile = true } = remoteState as Record<string, unknown>;
  if (typeof bucket !== 'string') {
    problems.add(subject, 'remoteState.bucket', 'must be an S3 bucket name', bucket);
  } else if (checkDerivedName(problems, { subject, field: 'remoteState.bucket', provided: bucket, value: bucket, rule: NAME_RULES.s3Bucket, fix: 'use the name of an existing bucket' })) {
    const problem = s3BucketNameProblem(bucket);
    if (problem) problems.add(subject, 'remoteState.bucket', problem, bucket, 'use the name of an existing bucket');
  }
  if (typeof key !== 'string' || key.length === 0) problems.add(subject, 'remoteState.key', 'must be a non-empty string', key);
  else checkDerivedName(problems, { subject, field: 'remoteState.key', provided: key, value: key, rule: NAME_RULES.s3Key });
  if (region !== undefined && (typeof region !== 'string' || !REGION.test(region))) problems.add(subject, 'remoteState.region', 'must be an AWS region', region);
  if (dynamodbTable !== undefined) {
    if (typeof dynamodbTable !== 'string') problems.add(subject, 'remoteState.dynamodbTable', 'must be a DynamoDB table name', dynamodbTable);
    else checkDerivedName(problems, { subject, field: 'remoteState.dynamodbTable', provided: dynamodbTable, value: dynamodbTable, rule: NAME_RULES.dynamodbTable });
  }
  problems.boolean(subject, 'remoteState.useLockfile', useLockfile);
  return {
    bucket: bucket as string,
    key: key as string,
    useLockfile: useLockfile as boolean,
    ...(region !== undefined ? { region: region as string } : {}),
    ...(dynamodbTable !== undefined ? { dynamodbTable: dynamodbTable as string } : {}),
  };
}

function resolveIdempotencyTable(problems: Problems, subject: Subject, prefix: string, settings: unknown): ResolvedIdempotencyTable | undefined {
  const tableName = idempotencyTableName(prefix);
  checkDerivedName(problems, { subject, field: 'name', provided: subject.name, value: tableName, rule: NAME_RULES.dynamodbTable, fix: 'shorten the environment name or the scope' });
  const input = settings === undefined ? {} : settings;
  if (!problems.object(subject, 'idempotency', input)) return undefined;
  problems.knownFields(subject, 'idempotency: ', input, ['pointInTimeRecovery', 'deletionProtection']);
  const { pointInTimeRecovery = IDEMPOTENCY_DEFAULTS.pointInTimeRecovery, deletionProtection = IDEMPOTENCY_DEFAULTS.deletionProtection } = input as Record<string, unknown>;
  const valid = problems.boolean(subject, 'idempotency.pointInTimeRecovery', pointInTimeRecovery) && problems.boolean(subject, 'idempotency.deletionProtection', deletionProtection);
  return valid ? { tableName, pointInTimeRecovery, deletionProtection } : undefined;
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

