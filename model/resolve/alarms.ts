/** Merges alarm settings (defaults < environment < queue < environment's queue override) and checks them. */
import { ALARM_DEFAULTS } from '../defaults';
import type { AlarmSettings, AlarmStatistic, ComparisonOperator, QueueAlarmSettings, TreatMissingData } from '../input';
import { ALARM_LIMITS, ALARM_MAX_EVALUATION_SECONDS, NAME_RULES } from '../limits';
import { alarmName } from '../naming';
import type { Problems, Subject } from '../problems';
import { checkDerivedName } from '../rules/names';
import type { ResolvedAlarm, ResolvedQueue, ResolvedQueueAlarms } from './resolved';

type AlarmKind = keyof typeof ALARM_DEFAULTS;
const ALARM_KINDS: readonly AlarmKind[] = ['depth', 'oldestMessageAge', 'deadLetterQueue'];
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

/** What each alarm watches and how it compares; not configurable because it defines the alarm. */
const ALARM_SHAPES: Readonly<
  Record<AlarmKind, { metricName: ResolvedAlarm['metricName']; onDeadLetterQueue: boolean; comparisonOperator: ComparisonOperator; describe: string }>
> = {
  depth: {
    metricName: 'ApproximateNumberOfMessagesVisible',
    onDeadLetterQueue: false,
    comparisonOperator: 'GreaterThanThreshold',
    describe: 'messages are piling up on',
  },
  oldestMessageAge: {
    metricName: 'ApproximateAgeOfOldestMessage',
    onDeadLetterQueue: false,
    comparisonOperator: 'GreaterThanThreshold',
    describe: 'the oldest message (seconds) is too old on',
  },
  deadLetterQueue: {
    metricName: 'ApproximateNumberOfMessagesVisible',
    onDeadLetterQueue: true,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    describe: 'messages were dead-lettered to',
  },
};

/** Checks the shape of an alarm-settings object from any layer (unknown alarm or field names). */
export function checkAlarmSettingsShape(problems: Problems, subject: Subject, where: string, value: unknown): void {
  if (value === undefined) return;
  if (!problems.object(subject, `${where}alarms`, value)) return;
  problems.knownFields(subject, `${where}alarms: `, value, ALARM_KINDS);
  for (const kind of ALARM_KINDS) {
    const settings = (value as Record<string, unknown>)[kind];
    if (settings === undefined) continue;
    if (problems.object(subject, `${where}alarms.${kind}`, settings)) {
      problems.knownFields(subject, `${where}alarms.${kind}: `, settings, ALARM_FIELDS);
    }
  }
}

export function resolveAlarms(
  problems: Problems,
  subject: Subject,
  namePrefix: string,
  queue: Pick<ResolvedQueue, 'name' | 'queueName' | 'deadLetterQueueName'>,
  layers: readonly (QueueAlarmSettings | undefined)[],
): ResolvedQueueAlarms {
  const resolved: { -readonly [K in AlarmKind]?: ResolvedAlarm } = {};
  for (const kind of ALARM_KINDS) {
    const merged: { -readonly [K in keyof AlarmSettings]-?: AlarmSettings[K] } = Object.assign({}, ALARM_DEFAULTS[kind], ...layers.map((layer) => layer?.[kind] ?? {}));
    // datapointsToAlarm follows evaluationPeriods unless a layer sets it.
    if (!layers.some((layer) => layer?.[kind]?.datapointsToAlarm !== undefined)) {
      merged.datapointsToAlarm = merged.evaluationPeriods;
    }
    const field = (name: string) => `alarms.${kind}.${name}`;
    let valid = problems.boolean(subject, field('enabled'), merged.enabled);
    valid = problems.numberInRange(subject, field('threshold'), merged.threshold, ALARM_LIMITS.threshold) && valid;
    valid = problems.oneOf(subject, field('statistic'), merged.statistic, STATISTICS) && valid;
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
    const shape = ALARM_SHAPES[kind];
    const watched = shape.onDeadLetterQueue ? queue.deadLetterQueueName : queue.queueName;
    const name = alarmName(namePrefix, queue.name, kind);
    const description = `${shape.describe} ${watched} (${merged.statistic} ${shape.comparisonOperator === 'GreaterThanThreshold' ? '>' : '≥'} ${merged.threshold} for ${merged.datapointsToAlarm} of ${merged.evaluationPeriods} × ${merged.periodSeconds} s)`;
    const nameValid = checkDerivedName(problems, { subject, field: 'name', provided: queue.name, value: name, rule: NAME_RULES.alarmName });
    if (!checkDerivedName(problems, { subject, field: 'name', provided: queue.name, value: description, rule: NAME_RULES.alarmDescription }) || !nameValid) continue;
    resolved[kind] = {
      alarmName: name,
      description,
      namespace: 'AWS/SQS',
      metricName: shape.metricName,
      queueName: watched,
      statistic: merged.statistic,
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
