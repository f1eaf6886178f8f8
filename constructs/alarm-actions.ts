/** What QueueAlarms and FunctionAlarms share: where alarms notify, checked the same way, and how their nodes are rendered. */
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { Construct } from 'constructs';
import { ALERT_DEFAULTS, type AlarmActions, type AlarmNode } from '../model';
import { isBoolean, isString } from './render/check-props';
import type { References } from './render/references';
import { renderNode } from './render/render-node';

/** Where a standalone set of alarms notifies. */
export interface AlarmActionProps {
  /** ARN of the SNS topic alarms notify (yours, or a token of a topic in your stack). */
  readonly alertTopicArn: string;
  /** Alarms notify; when false they only change state. @default true */
  readonly actionsEnabled?: boolean;
  /** Also notify when an alarm returns to OK. @default false (OK notifications double the traffic) */
  readonly okActions?: boolean;
}

/** The checkProps rules of {@link AlarmActionProps}. */
export const ALARM_ACTION_RULES = {
  alertTopicArn: { test: isString, requirement: 'must be the ARN of an SNS topic', fix: 'e.g. alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:oncall"' },
  actionsEnabled: { test: isBoolean, requirement: 'must be true or false', required: false },
  okActions: { test: isBoolean, requirement: 'must be true or false', required: false },
} as const;

export function alarmActions(props: AlarmActionProps): AlarmActions {
  return {
    topicArn: props.alertTopicArn,
    actionsEnabled: props.actionsEnabled ?? ALERT_DEFAULTS.actionsEnabled,
    okActions: props.okActions ?? ALERT_DEFAULTS.okActions,
  };
}

/** Renders alarm nodes under `scope`, each with a readable construct id. */
export function renderAlarms(scope: Construct, nodes: readonly AlarmNode[], references: References): CloudwatchMetricAlarm[] {
  return nodes.map((node) => renderNode(scope, kebab(node.id), node, references).resource as CloudwatchMetricAlarm);
}

/** `OrderQueueDepthAlarm` → `order-queue-depth-alarm`: readable construct ids. */
export function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
