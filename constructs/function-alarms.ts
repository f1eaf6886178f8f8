import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { ALERT_DEFAULTS, functionAlarmNodes, type AlarmNode } from '../model';
import type { BundledFunction } from './bundled-function';
import { kebab } from './queue-alarms';
import { checkProps, isBoolean, isString } from './render/check-props';
import { renderNode } from './render/render-node';

export interface FunctionAlarmsProps {
  /** The function watched; thresholds come from its settings (its `alarms`). */
  readonly function: BundledFunction;
  /** ARN of the SNS topic alarms notify (yours, or a token of a topic in your stack). */
  readonly alertTopicArn: string;
  /** Alarms notify; when false they only change state. @default true */
  readonly actionsEnabled?: boolean;
  /** Also notify when an alarm returns to OK. @default false (OK notifications double the traffic) */
  readonly okActions?: boolean;
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
    const references = (props as { function: BundledFunction }).function.references;
    this.alarms = nodes.map((node) => renderNode(this, kebab(node.id), node, references).resource as CloudwatchMetricAlarm);
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
      alertTopicArn: { test: isString, requirement: 'must be the ARN of an SNS topic', fix: 'e.g. alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:oncall"' },
      actionsEnabled: { test: isBoolean, requirement: 'must be true or false', required: false },
      okActions: { test: isBoolean, requirement: 'must be true or false', required: false },
    },
    '{ function: worker, alertTopicArn: "arn:aws:sns:…" }',
  ) as unknown as FunctionAlarmsProps;
  return functionAlarmNodes(checked.function.settings, {
    topicArn: checked.alertTopicArn,
    actionsEnabled: checked.actionsEnabled ?? ALERT_DEFAULTS.actionsEnabled,
    okActions: checked.okActions ?? ALERT_DEFAULTS.okActions,
  });
}
