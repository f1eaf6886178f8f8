import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { ResolvedAlarm, ResolvedQueue } from './spec';

export interface QueueAlarmsProps {
  readonly queue: ResolvedQueue;
  /** ARN of the SNS topic alarms notify. */
  readonly alertTopicArn: string;
  /** Alarms notify; when false they only change state. @default true */
  readonly actionsEnabled?: boolean;
  /** Also notify when an alarm returns to OK. @default false */
  readonly okActions?: boolean;
}

/**
 * The alarms of one queue pair, as the spec resolved them: depth and age of the oldest message on
 * the queue, messages on the DLQ. Disabled alarms were already left out by the spec.
 */
export class QueueAlarms extends Construct {
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: QueueAlarmsProps) {
    super(scope, id);
    const resolved: [string, ResolvedAlarm | undefined][] = [
      ['depth', props.queue.alarms.depth],
      ['oldest-message-age', props.queue.alarms.oldestMessageAge],
      ['dlq-not-empty', props.queue.alarms.deadLetterQueue],
    ];
    this.alarms = resolved
      .filter((entry): entry is [string, ResolvedAlarm] => entry[1] !== undefined)
      .map(
        ([alarmId, alarm]) =>
          new CloudwatchMetricAlarm(this, alarmId, {
            alarmName: alarm.alarmName,
            alarmDescription: alarm.description,
            namespace: alarm.namespace,
            metricName: alarm.metricName,
            dimensions: { QueueName: alarm.queueName },
            statistic: alarm.statistic,
            period: alarm.periodSeconds,
            evaluationPeriods: alarm.evaluationPeriods,
            datapointsToAlarm: alarm.datapointsToAlarm,
            threshold: alarm.threshold,
            comparisonOperator: alarm.comparisonOperator,
            treatMissingData: alarm.treatMissingData,
            actionsEnabled: props.actionsEnabled ?? true,
            alarmActions: [props.alertTopicArn],
            okActions: props.okActions ? [props.alertTopicArn] : [],
            tags: { ...props.queue.tags },
          }),
      );
  }
}
