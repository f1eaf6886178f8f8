/** Alarm nodes of a queue pair or a function, as the model resolved them (disabled ones are left out). */
import { nodeIds, type FunctionAlarmKind, type QueueAlarmKind } from '../naming';
import { FUNCTION_ALARM_SHAPES, QUEUE_ALARM_SHAPES } from '../resolve/alarms';
import type { ResolvedAlarm, ResolvedFunction, ResolvedMetric, ResolvedQueue } from '../resolve/resolved';
import type { AlarmNode, MetricDimensions, NodeOrigin } from './nodes';
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

// In the order of the shapes table: the order nodes (and resources) are listed in.
const QUEUE_ALARM_KINDS = Object.keys(QUEUE_ALARM_SHAPES) as QueueAlarmKind[];
const FUNCTION_ALARM_KINDS = Object.keys(FUNCTION_ALARM_SHAPES) as FunctionAlarmKind[];

export function queueAlarmNodes(queue: ResolvedQueue, actions: AlarmActions): AlarmNode[] {
  const origin: NodeOrigin = { kind: 'queue', name: queue.name };
  return QUEUE_ALARM_KINDS.flatMap((kind) => {
    const alarm = queue.alarms[kind];
    return alarm ? [alarmNode(nodeIds.alarm(queue.name, kind), alarm, actions, origin, queue.tags)] : [];
  });
}

export function functionAlarmNodes(fn: ResolvedFunction, actions: AlarmActions): AlarmNode[] {
  const origin: NodeOrigin = { kind: 'function', name: fn.name };
  return FUNCTION_ALARM_KINDS.flatMap((kind) => {
    const alarm = fn.alarms[kind];
    return alarm ? [alarmNode(nodeIds.functionAlarm(fn.name, kind), alarm, actions, origin, fn.tags)] : [];
  });
}

function alarmNode(id: string, alarm: ResolvedAlarm, actions: AlarmActions, origin: NodeOrigin, tags: Readonly<Record<string, string>>): AlarmNode {
  const metric = alarm.metric;
  const measured =
    metric.kind === 'metric'
      ? { Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: dimensions(metric), Statistic: metric.statistic, Period: alarm.periodSeconds }
      : {
          Metrics: [
            ...metric.inputs.map((input) => ({
              Id: input.id,
              ReturnData: false as const,
              MetricStat: { Metric: { Namespace: input.namespace, MetricName: input.metricName, Dimensions: dimensions(input) }, Period: alarm.periodSeconds, Stat: input.statistic },
            })),
            // The id of the compared query: metric math ids start with a lowercase letter.
            { Id: 'measure', ReturnData: true as const, Expression: metric.expression, Label: metric.label },
          ],
        };
  return {
    id,
    type: 'cloudwatch:alarm',
    origin,
    properties: {
      AlarmName: alarm.alarmName,
      AlarmDescription: alarm.description,
      ...measured,
      EvaluationPeriods: alarm.evaluationPeriods,
      DatapointsToAlarm: alarm.datapointsToAlarm,
      Threshold: alarm.threshold,
      ComparisonOperator: alarm.comparisonOperator,
      TreatMissingData: alarm.treatMissingData,
      ActionsEnabled: actions.actionsEnabled,
      AlarmActions: [actions.topicArn],
      ...(actions.okActions ? { OKActions: [actions.topicArn] } : {}),
    },
    tags,
  };
}

function dimensions(metric: ResolvedMetric): MetricDimensions {
  return metric.dimensions.map((dimension) => ({ Name: dimension.name, Value: dimension.value }));
}
