/** The alarm nodes of one queue pair, as the model resolved them (disabled ones are left out). */
import { nodeIds, type QueueAlarmKind } from '../naming';
import type { ResolvedAlarm, ResolvedQueue } from '../resolve/resolved';
import type { AlarmNode } from './nodes';
import type { GraphValue } from './values';

/** Where and how alarms notify. */
export interface AlarmActions {
  /** The SNS topic alarms notify (a reference to the alert topic node, or an ARN). */
  readonly topicArn: GraphValue;
  /** Alarms notify; when false they only change state. */
  readonly actionsEnabled: boolean;
  /** Also notify when an alarm returns to OK. */
  readonly okActions: boolean;
}

const KINDS: readonly QueueAlarmKind[] = ['depth', 'oldestMessageAge', 'deadLetterQueue'];

export function queueAlarmNodes(queue: ResolvedQueue, actions: AlarmActions): AlarmNode[] {
  return KINDS.flatMap((kind) => {
    const alarm: ResolvedAlarm | undefined = queue.alarms[kind];
    if (!alarm) return [];
    const node: AlarmNode = {
      id: nodeIds.alarm(queue.name, kind),
      type: 'cloudwatch:alarm',
      origin: { kind: 'queue', name: queue.name },
      properties: {
        AlarmName: alarm.alarmName,
        AlarmDescription: alarm.description,
        Namespace: alarm.namespace,
        MetricName: alarm.metricName,
        Dimensions: [{ Name: 'QueueName', Value: alarm.queueName }],
        Statistic: alarm.statistic,
        Period: alarm.periodSeconds,
        EvaluationPeriods: alarm.evaluationPeriods,
        DatapointsToAlarm: alarm.datapointsToAlarm,
        Threshold: alarm.threshold,
        ComparisonOperator: alarm.comparisonOperator,
        TreatMissingData: alarm.treatMissingData,
        ActionsEnabled: actions.actionsEnabled,
        AlarmActions: [actions.topicArn],
        ...(actions.okActions ? { OKActions: [actions.topicArn] } : {}),
      },
      tags: queue.tags,
    };
    return [node];
  });
}
