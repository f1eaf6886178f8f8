import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { queueAlarmNodes, type AlarmNode } from '../model';
import { ALARM_ACTION_RULES, alarmActions, renderAlarms, type AlarmActionProps } from './alarm-actions';
import type { QueuePair } from './queue-pair';
import { checkProps } from './render/check-props';

export interface QueueAlarmsProps extends AlarmActionProps {
  /** The pair whose queue and DLQ are watched; thresholds come from its settings (its `alarms`). */
  readonly queuePair: QueuePair;
}

/** Alarm nodes a graph built (how `MessagingEnvironment` uses it). */
export interface QueueAlarmsPieceProps {
  readonly queuePair: QueuePair;
  readonly nodes: readonly AlarmNode[];
}

/**
 * The alarms of one queue pair: depth and age of the oldest message on the queue, messages on the
 * DLQ (and time to drain when the pair's settings turn it on), with the thresholds and
 * `treatMissingData` the model resolved (disabled ones are left out).
 */
export class QueueAlarms extends Construct {
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: QueueAlarmsProps | QueueAlarmsPieceProps) {
    super(scope, id);
    const nodes = 'nodes' in (props ?? {}) ? (props as QueueAlarmsPieceProps).nodes : standaloneNodes(id, props as QueueAlarmsProps);
    this.alarms = renderAlarms(this, nodes, (props as { queuePair: QueuePair }).queuePair.references);
  }
}

function standaloneNodes(id: string, props: QueueAlarmsProps): AlarmNode[] {
  const checked = checkProps(
    'QueueAlarms',
    id,
    props,
    {
      queuePair: { test: (value) => typeof value === 'object' && value !== null && 'settings' in value && 'references' in value, requirement: 'must be a QueuePair', fix: 'pass the QueuePair whose queues the alarms watch' },
      ...ALARM_ACTION_RULES,
    },
    '{ queuePair: payments, alertTopicArn: "arn:aws:sns:…" }',
  ) as unknown as QueueAlarmsProps;
  return queueAlarmNodes(checked.queuePair.settings, alarmActions(checked));
}
