import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { ALERT_DEFAULTS, queueAlarmNodes, type AlarmNode } from '../model';
import type { QueuePair } from './queue-pair';
import { checkProps, isBoolean, isString } from './render/check-props';
import { renderNode } from './render/render-node';

export interface QueueAlarmsProps {
  /** The pair whose queue and DLQ are watched; thresholds come from its settings (its `alarms`). */
  readonly queuePair: QueuePair;
  /** ARN of the SNS topic alarms notify (yours, or a token of a topic in your stack). */
  readonly alertTopicArn: string;
  /** Alarms notify; when false they only change state. @default true */
  readonly actionsEnabled?: boolean;
  /** Also notify when an alarm returns to OK. @default false (OK notifications double the traffic) */
  readonly okActions?: boolean;
}

/** Alarm nodes a graph built (how `MessagingEnvironment` uses it). */
export interface QueueAlarmsPieceProps {
  readonly queuePair: QueuePair;
  readonly nodes: readonly AlarmNode[];
}

/**
 * The alarms of one queue pair: depth and age of the oldest message on the queue, messages on the
 * DLQ, with the thresholds and `treatMissingData` the model resolved (disabled ones are left out).
 */
export class QueueAlarms extends Construct {
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: QueueAlarmsProps | QueueAlarmsPieceProps) {
    super(scope, id);
    const nodes = 'nodes' in (props ?? {}) ? (props as QueueAlarmsPieceProps).nodes : standaloneNodes(id, props as QueueAlarmsProps);
    const references = (props as { queuePair: QueuePair }).queuePair.references;
    this.alarms = nodes.map((node) => renderNode(this, kebab(node.id), node, references).resource as CloudwatchMetricAlarm);
  }
}

function standaloneNodes(id: string, props: QueueAlarmsProps): AlarmNode[] {
  const checked = checkProps(
    'QueueAlarms',
    id,
    props,
    {
      queuePair: { test: (value) => typeof value === 'object' && value !== null && 'settings' in value && 'references' in value, requirement: 'must be a QueuePair', fix: 'pass the QueuePair whose queues the alarms watch' },
      alertTopicArn: { test: isString, requirement: 'must be the ARN of an SNS topic', fix: 'e.g. alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:oncall"' },
      actionsEnabled: { test: isBoolean, requirement: 'must be true or false', required: false },
      okActions: { test: isBoolean, requirement: 'must be true or false', required: false },
    },
    '{ queuePair: payments, alertTopicArn: "arn:aws:sns:…" }',
  ) as unknown as QueueAlarmsProps;
  return queueAlarmNodes(checked.queuePair.settings, {
    topicArn: checked.alertTopicArn,
    actionsEnabled: checked.actionsEnabled ?? ALERT_DEFAULTS.actionsEnabled,
    okActions: checked.okActions ?? ALERT_DEFAULTS.okActions,
  });
}

/** `OrderQueueDepthAlarm` → `order-queue-depth-alarm`: readable construct ids. */
export function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
