import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { functionAlarmNodes, type AlarmNode } from '../model';
import { ALARM_ACTION_RULES, alarmActions, renderAlarms, type AlarmActionProps } from './alarm-actions';
import type { BundledFunction } from './bundled-function';
import { checkProps } from './render/check-props';

export interface FunctionAlarmsProps extends AlarmActionProps {
  /** The function watched; thresholds come from its settings (its `alarms`). */
  readonly function: BundledFunction;
}

/** Alarm nodes a graph built (how `MessagingEnvironment` uses it). */
export interface FunctionAlarmsPieceProps {
  readonly function: BundledFunction;
  readonly nodes: readonly AlarmNode[];
}

/**
 * The alarms of one function: its error rate (errors as a percentage of invocations, metric math)
 * and its throttles, with the thresholds and `treatMissingData` the model resolved (disabled ones
 * are left out).
 */
export class FunctionAlarms extends Construct {
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps | FunctionAlarmsPieceProps) {
    super(scope, id);
    const nodes = 'nodes' in (props ?? {}) ? (props as FunctionAlarmsPieceProps).nodes : standaloneNodes(id, props as FunctionAlarmsProps);
    this.alarms = renderAlarms(this, nodes, (props as { function: BundledFunction }).function.references);
  }
}

function standaloneNodes(id: string, props: FunctionAlarmsProps): AlarmNode[] {
  const checked = checkProps(
    'FunctionAlarms',
    id,
    props,
    {
      function: {
        test: (value) => typeof value === 'object' && value !== null && 'settings' in value && 'references' in value && 'role' in value,
        requirement: 'must be a BundledFunction',
        fix: 'pass the BundledFunction the alarms watch',
      },
      ...ALARM_ACTION_RULES,
    },
    '{ function: worker, alertTopicArn: "arn:aws:sns:…" }',
  ) as unknown as FunctionAlarmsProps;
  return functionAlarmNodes(checked.function.settings, alarmActions(checked));
}
