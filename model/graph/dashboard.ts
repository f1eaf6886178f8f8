/**
 * The environment's CloudWatch dashboard, laid out along the topology: the alarms' status on top,
 * then each queue in pipeline order (upstream first) — the function that feeds it when nothing
 * upstream does, the queue, its DLQ and the function that consumes it. Every metric comes from
 * `metrics.ts`, the definitions the alarms and local mode's health line use too.
 */
import { FUNCTION_METRICS, QUEUE_METRICS, TIME_TO_DRAIN, type MetricDefinition } from '../metrics';
import { nodeIds } from '../naming';
import type { ResolvedAlarm, ResolvedEnvironment, ResolvedFunction, ResolvedQueue } from '../resolve/resolved';
import { alarmArnOf, REGION } from './arns';
import type { DashboardNode, DashboardWidget } from './nodes';
import type { GraphValue } from './values';

/** CloudWatch's grid is 24 columns wide. */
const GRID_WIDTH = 24;
const CHART_HEIGHT = 6;
/** SQS and Lambda publish one datapoint a minute. */
const PERIOD_SECONDS = 60;

export function dashboardNode(settings: ResolvedEnvironment, dashboardName: string): DashboardNode {
  const layout = new GridLayout();
  const alarms = environmentAlarms(settings);
  if (alarms.length > 0) {
    layout.row(alarmHeight(alarms.length), [
      {
        type: 'alarm',
        width: GRID_WIDTH,
        properties: { title: `Alarms (${alarms.length})`, alarms: alarms.map((alarm) => alarmArnOf(alarm.alarmName)), sortBy: 'stateUpdatedTimestamp' },
      },
    ]);
  }
  const shown = new Set<string>();
  for (const queue of pipelineOrder(settings)) {
    const producers = settings.functions.filter((fn) => fn.publishesTo.includes(queue.name));
    const consumers = settings.functions.filter((fn) => fn.consumes?.queue === queue.name);
    // A producer that consumes nothing is an entry point: its row comes before its first queue.
    for (const producer of producers.filter((fn) => !fn.consumes && !shown.has(fn.name))) {
      shown.add(producer.name);
      layout.row(1, [text(`#### ${producer.name} — produces to ${producer.publishesTo.join(', ')}`)]);
      layout.row(CHART_HEIGHT, functionCharts(producer));
    }
    const from = producers.length > 0 ? producers.map((fn) => fn.name).join(', ') : 'no producer in this topology';
    const to = consumers.length > 0 ? consumers.map((fn) => fn.name).join(', ') : 'no consumer in this topology';
    layout.row(1, [text(`### ${queue.name} queue — from ${from} to ${to}`)]);
    layout.row(CHART_HEIGHT, queueCharts(queue));
    for (const consumer of consumers) shown.add(consumer.name);
    if (consumers.length === 1) {
      layout.row(CHART_HEIGHT, [deadLetterQueueChart(queue, 6), ...functionCharts(consumers[0]!, 6)]);
    } else {
      // Competing consumers (the model warns about them) get a row each.
      layout.row(CHART_HEIGHT, [deadLetterQueueChart(queue, GRID_WIDTH)]);
      for (const consumer of consumers) layout.row(CHART_HEIGHT, functionCharts(consumer));
    }
  }
  // Functions on no queue at all (neither producing nor consuming) still get their row.
  for (const fn of settings.functions.filter((candidate) => !shown.has(candidate.name))) {
    layout.row(1, [text(`#### ${fn.name}`)]);
    layout.row(CHART_HEIGHT, functionCharts(fn));
  }
  return {
    id: nodeIds.dashboard,
    type: 'cloudwatch:dashboard',
    origin: { kind: 'environment', name: settings.environment },
    properties: { DashboardName: dashboardName, DashboardBody: { widgets: layout.widgets } },
  };
}

/**
 * Queues upstream first: a queue fed by an entry point (a function that consumes nothing) comes
 * before the queues its consumer feeds. Queues nothing feeds keep the topology's order.
 */
export function pipelineOrder(settings: ResolvedEnvironment): ResolvedQueue[] {
  const depth = new Map<string, number>();
  const depthOf = (queue: string, seen: ReadonlySet<string>): number => {
    const known = depth.get(queue);
    if (known !== undefined) return known;
    const feeders = settings.functions.filter((fn) => fn.publishesTo.includes(queue) && fn.consumes && !seen.has(fn.consumes.queue));
    const value = feeders.length === 0 ? 0 : 1 + Math.max(...feeders.map((fn) => depthOf(fn.consumes!.queue, new Set([...seen, queue]))));
    depth.set(queue, value);
    return value;
  };
  return settings.queues
    .map((queue, index) => ({ queue, index, depth: depthOf(queue.name, new Set([queue.name])) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index)
    .map((entry) => entry.queue);
}

function environmentAlarms(settings: ResolvedEnvironment): ResolvedAlarm[] {
  return [...settings.queues.flatMap((queue) => Object.values(queue.alarms)), ...settings.functions.flatMap((fn) => Object.values(fn.alarms))].filter(
    (alarm): alarm is ResolvedAlarm => alarm !== undefined,
  );
}

/** Room for the alarm status grid: a title row plus one row per eight alarms, at most 12. */
function alarmHeight(count: number): number {
  return Math.min(2 + Math.ceil(count / 8), 12);
}

type PlacedWidget = Omit<DashboardWidget, 'x' | 'y' | 'height'>;

/** Places rows of widgets left to right, each row below the previous one. */
class GridLayout {
  readonly widgets: DashboardWidget[] = [];
  private y = 0;

  row(height: number, widgets: readonly PlacedWidget[]): void {
    let x = 0;
    for (const widget of widgets) {
      this.widgets.push({ ...widget, x, y: this.y, height });
      x += widget.width;
    }
    this.y += height;
  }
}

function text(markdown: string): PlacedWidget {
  return { type: 'text', width: GRID_WIDTH, properties: { markdown } };
}

/** One line of a metric widget: `[namespace, metric, dimension, value, options]`. */
function line(metric: MetricDefinition, dimension: string, value: string, options: Record<string, GraphValue> = {}): GraphValue {
  return [metric.namespace, metric.metricName, dimension, value, { stat: metric.statistic, label: metric.label, ...options }];
}

function chart(title: string, width: number, metrics: readonly GraphValue[], extra: Record<string, GraphValue> = {}): PlacedWidget {
  return {
    type: 'metric',
    width,
    properties: { title, region: REGION, view: 'timeSeries', stacked: false, period: PERIOD_SECONDS, metrics: [...metrics], ...extra },
  };
}

function queueCharts(queue: ResolvedQueue): PlacedWidget[] {
  const q = (metric: MetricDefinition, options?: Record<string, GraphValue>) => line(metric, 'QueueName', queue.queueName, options);
  const drain = TIME_TO_DRAIN;
  return [
    chart(`${queue.name}: messages`, 6, [q(QUEUE_METRICS.visible), q(QUEUE_METRICS.inFlight)]),
    chart(`${queue.name}: age of oldest message (s)`, 6, [q(QUEUE_METRICS.oldestAge)]),
    chart(`${queue.name}: sent vs deleted per minute`, 6, [q(QUEUE_METRICS.sent), q(QUEUE_METRICS.deleted)]),
    chart(`${queue.name}: ${drain.label}`, 6, [
      { expression: drain.expression, label: drain.label, id: 'drain' },
      ...Object.entries(drain.inputs).map(([id, metric]) => q(metric, { id, visible: false })),
    ]),
  ];
}

function deadLetterQueueChart(queue: ResolvedQueue, width: number): PlacedWidget {
  const d = (metric: MetricDefinition, options?: Record<string, GraphValue>) => line(metric, 'QueueName', queue.deadLetterQueueName, options);
  return chart(`${queue.name} DLQ: messages and oldest age (s)`, width, [d(QUEUE_METRICS.visible), d(QUEUE_METRICS.oldestAge, { yAxis: 'right' })]);
}

/** Invocations, errors and throttles; duration p50 / p99; concurrency against its maximum. */
function functionCharts(fn: ResolvedFunction, width = 8): PlacedWidget[] {
  const f = (metric: MetricDefinition, options?: Record<string, GraphValue>) => line(metric, 'FunctionName', fn.functionName, options);
  const maximum = fn.consumes?.maximumConcurrency ?? fn.reservedConcurrency;
  return [
    chart(`${fn.name}: invocations, errors, throttles`, width, [f(FUNCTION_METRICS.invocations), f(FUNCTION_METRICS.errors), f(FUNCTION_METRICS.throttles)]),
    chart(`${fn.name}: duration (ms)`, width, [
      f(FUNCTION_METRICS.duration, { stat: 'p50', label: 'p50' }),
      f(FUNCTION_METRICS.duration, { stat: 'p99', label: 'p99' }),
    ]),
    chart(
      `${fn.name}: concurrent executions${maximum === undefined ? ' (no maximum set)' : ''}`,
      width,
      [f(FUNCTION_METRICS.concurrency)],
      maximum === undefined ? {} : { annotations: { horizontal: [{ label: fn.consumes?.maximumConcurrency !== undefined ? 'maximum concurrency' : 'reserved concurrency', value: maximum }] } },
    ),
  ];
}
