/**
 * Alarms: settings merged (defaults < environment < definition < environment's override) and
 * checked, by one engine for every kind. What each kind watches and how it compares is a row of
 * {@link QUEUE_ALARM_SHAPES} / {@link FUNCTION_ALARM_SHAPES}: it defines the alarm, so it is not
 * configurable.
 */
import { ALARM_DEFAULTS, FUNCTION_ALARM_DEFAULTS } from '../defaults';
import type { AlarmSettings, AlarmStatistic, ComparisonOperator, FunctionAlarmSettings, QueueAlarmSettings, TreatMissingData } from '../input';
import { ALARM_LIMITS, ALARM_MAX_EVALUATION_SECONDS, NAME_RULES } from '../limits';
import { ERROR_RATE, FUNCTION_METRICS, QUEUE_METRICS, TIME_TO_DRAIN, type DerivedMeasure, type MetricDefinition } from '../metrics';
import { functionAlarmName, queueAlarmName, type FunctionAlarmKind, type QueueAlarmKind } from '../naming';
import type { Problems, Subject } from '../problems';
import { checkDerivedName } from '../rules/names';
import type { ResolvedAlarm, ResolvedAlarmMetric, ResolvedFunctionAlarms, ResolvedQueueAlarms } from './resolved';

const ALARM_FIELDS: readonly (keyof AlarmSettings)[] = [
  'enabled',
  'threshold',
  'statistic',
  'periodSeconds',
  'evaluationPeriods',
  'datapointsToAlarm',
  'treatMissingData',
];
const STATISTICS: readonly AlarmStatistic[] = ['Average', 'Maximum', 'Minimum', 'Sum', 'SampleCount'];
const TREAT_MISSING: readonly TreatMissingData[] = ['breaching', 'notBreaching', 'ignore', 'missing'];

/** What an alarm watches: one metric (its statistic configurable) or a derived measure (fixed). */
interface AlarmShape<Target> {
  readonly comparisonOperator: ComparisonOperator;
  /** Starts the description: `messages are piling up on <watched>`. */
  readonly describe: string;
  readonly watched: (target: Target) => string;
  readonly measure: { readonly metric: MetricDefinition; readonly dimension: 'QueueName' | 'FunctionName' } | { readonly derived: DerivedMeasure<string>; readonly dimension: 'QueueName' | 'FunctionName' };
}

interface QueueTarget {
  readonly queueName: string;
  readonly deadLetterQueueName: string;
}

export const QUEUE_ALARM_SHAPES: Readonly<Record<QueueAlarmKind, AlarmShape<QueueTarget>>> = {
  depth: { comparisonOperator: 'GreaterThanThreshold', describe: 'messages are piling up on', watched: (q) => q.queueName, measure: { metric: QUEUE_METRICS.visible, dimension: 'QueueName' } },
  oldestMessageAge: {
    comparisonOperator: 'GreaterThanThreshold',
    describe: 'the oldest message (seconds) is too old on',
    watched: (q) => q.queueName,
    measure: { metric: QUEUE_METRICS.oldestAge, dimension: 'QueueName' },
  },
  deadLetterQueue: {
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    describe: 'messages were dead-lettered to',
    watched: (q) => q.deadLetterQueueName,
    measure: { metric: QUEUE_METRICS.visible, dimension: 'QueueName' },
  },
  timeToDrain: {
    comparisonOperator: 'GreaterThanThreshold',
    describe: 'the backlog (seconds to drain at the current delete rate) is too long on',
    watched: (q) => q.queueName,
    measure: { derived: TIME_TO_DRAIN, dimension: 'QueueName' },
  },
};

export const FUNCTION_ALARM_SHAPES: Readonly<Record<FunctionAlarmKind, AlarmShape<string>>> = {
  errorRate: { comparisonOperator: 'GreaterThanThreshold', describe: 'too many invocations (%) fail of', watched: (fn) => fn, measure: { derived: ERROR_RATE, dimension: 'FunctionName' } },
  throttles: { comparisonOperator: 'GreaterThanOrEqualToThreshold', describe: 'invocations are throttled of', watched: (fn) => fn, measure: { metric: FUNCTION_METRICS.throttles, dimension: 'FunctionName' } },
};

/** Checks the shape of an alarm-settings object from any layer (unknown alarm or field names). */
export function checkAlarmSettingsShape(problems: Problems, subject: Subject, where: string, value: unknown, kinds: readonly string[] = Object.keys(QUEUE_ALARM_SHAPES)): void {
  if (value === undefined) return;
  if (!problems.object(subject, `${where}alarms`, value)) return;
  problems.knownFields(subject, `${where}alarms: `, value, kinds);
  for (const kind of kinds) {
    const settings = (value as Record<string, unknown>)[kind];
    if (settings === undefined) continue;
    if (problems.object(subject, `${where}alarms.${kind}`, settings)) problems.knownFields(subject, `${where}alarms.${kind}: `, settings, ALARM_FIELDS);
  }
}

/** The queue pair's alarms: depth, oldest message, DLQ not empty, and (opt-in) time to drain. */
export function resolveQueueAlarms(
  problems: Problems,
  subject: Subject,
  namePrefix: string,
  queue: { readonly name: string } & QueueTarget,
  layers: readonly (QueueAlarmSettings | undefined)[],
): ResolvedQueueAlarms {
  return resolveAlarmSet(problems, subject, QUEUE_ALARM_SHAPES, ALARM_DEFAULTS, layers, queue, queue.name, (kind) => queueAlarmName(namePrefix, queue.name, kind));
}

/** A function's alarms: error rate and throttles. */
export function resolveFunctionAlarms(
  problems: Problems,
  subject: Subject,
  namePrefix: string,
  fn: { readonly name: string; readonly functionName: string },
  layers: readonly (FunctionAlarmSettings | undefined)[],
): ResolvedFunctionAlarms {
  return resolveAlarmSet(problems, subject, FUNCTION_ALARM_SHAPES, FUNCTION_ALARM_DEFAULTS, layers, fn.functionName, fn.name, (kind) => functionAlarmName(namePrefix, fn.name, kind));
}

function resolveAlarmSet<K extends string, Target>(
  problems: Problems,
  subject: Subject,
  shapes: Readonly<Record<K, AlarmShape<Target>>>,
  defaults: Readonly<Record<K, Required<AlarmSettings>>>,
  layers: readonly (Partial<Record<K, AlarmSettings>> | undefined)[],
  target: Target,
  logicalName: string,
  nameOf: (kind: K) => string,
): Partial<Record<K, ResolvedAlarm>> {
  const resolved: Partial<Record<K, ResolvedAlarm>> = {};
  for (const kind of Object.keys(shapes) as K[]) {
    const shape = shapes[kind];
    const merged: { -readonly [F in keyof AlarmSettings]-?: AlarmSettings[F] } = Object.assign({}, defaults[kind], ...layers.map((layer) => layer?.[kind] ?? {}));
    // datapointsToAlarm follows evaluationPeriods unless a layer sets it.
    if (!layers.some((layer) => layer?.[kind]?.datapointsToAlarm !== undefined)) merged.datapointsToAlarm = merged.evaluationPeriods;
    const field = (name: string) => `alarms.${kind}.${name}`;
    let valid = problems.boolean(subject, field('enabled'), merged.enabled);
    valid = problems.numberInRange(subject, field('threshold'), merged.threshold, ALARM_LIMITS.threshold) && valid;
    if ('derived' in shape.measure) {
      // A derived measure fixes its own statistics.
      if (layers.some((layer) => layer?.[kind]?.statistic !== undefined)) {
        problems.add(subject, field('statistic'), `does not apply: ${kind} is computed (${shape.measure.derived.expression})`, merged.statistic, 'remove it');
        valid = false;
      }
    } else {
      valid = problems.oneOf(subject, field('statistic'), merged.statistic, STATISTICS) && valid;
    }
    valid = problems.oneOf(subject, field('treatMissingData'), merged.treatMissingData, TREAT_MISSING) && valid;
    const periodValid = problems.integerInRange(subject, field('periodSeconds'), merged.periodSeconds, ALARM_LIMITS.periodSeconds);
    if (periodValid && ![10, 30].includes(merged.periodSeconds) && merged.periodSeconds % 60 !== 0) {
      problems.add(subject, field('periodSeconds'), 'must be 10, 30 or a multiple of 60 seconds', merged.periodSeconds);
      valid = false;
    }
    const periodsValid = problems.integerInRange(subject, field('evaluationPeriods'), merged.evaluationPeriods, ALARM_LIMITS.evaluationPeriods);
    if (periodsValid) {
      const datapointsLimit = { ...ALARM_LIMITS.evaluationPeriods, max: merged.evaluationPeriods };
      valid = problems.integerInRange(subject, field('datapointsToAlarm'), merged.datapointsToAlarm, datapointsLimit) && valid;
    }
    if (periodValid && periodsValid && merged.periodSeconds * merged.evaluationPeriods > ALARM_MAX_EVALUATION_SECONDS) {
      problems.add(
        subject,
        field('evaluationPeriods'),
        `× periodSeconds must be at most ${ALARM_MAX_EVALUATION_SECONDS} seconds (one day)`,
        merged.evaluationPeriods,
        `${merged.evaluationPeriods} × ${merged.periodSeconds} s = ${merged.evaluationPeriods * merged.periodSeconds} s; lower either`,
      );
      valid = false;
    }
    if (!valid || !periodValid || !periodsValid || !merged.enabled) continue;
    const watched = shape.watched(target);
    const name = nameOf(kind);
    const statistic = 'derived' in shape.measure ? 'computed' : merged.statistic;
    const comparison = shape.comparisonOperator === 'GreaterThanThreshold' ? '>' : '≥';
    const description = `${shape.describe} ${watched} (${statistic} ${comparison} ${merged.threshold} for ${merged.datapointsToAlarm} of ${merged.evaluationPeriods} × ${merged.periodSeconds} s)`;
    const nameValid = checkDerivedName(problems, { subject, field: 'name', provided: logicalName, value: name, rule: NAME_RULES.alarmName });
    if (!checkDerivedName(problems, { subject, field: 'name', provided: logicalName, value: description, rule: NAME_RULES.alarmDescription }) || !nameValid) continue;
    resolved[kind] = {
      alarmName: name,
      description,
      metric: alarmMetric(shape.measure, watched, merged.statistic),
      periodSeconds: merged.periodSeconds,
      evaluationPeriods: merged.evaluationPeriods,
      datapointsToAlarm: merged.datapointsToAlarm,
      threshold: merged.threshold,
      comparisonOperator: shape.comparisonOperator,
      treatMissingData: merged.treatMissingData,
    };
  }
  return resolved;
}

function alarmMetric(measure: AlarmShape<unknown>['measure'], watched: string, statistic: AlarmStatistic): ResolvedAlarmMetric {
  const dimensions = [{ name: measure.dimension, value: watched }];
  if ('metric' in measure) return { kind: 'metric', namespace: measure.metric.namespace, metricName: measure.metric.metricName, dimensions, statistic };
  return {
    kind: 'expression',
    expression: measure.derived.expression,
    label: measure.derived.label,
    inputs: Object.entries(measure.derived.inputs).map(([id, metric]) => ({
      id,
      namespace: (metric as MetricDefinition).namespace,
      metricName: (metric as MetricDefinition).metricName,
      dimensions,
      statistic: (metric as MetricDefinition).statistic,
    })),
  };
}
