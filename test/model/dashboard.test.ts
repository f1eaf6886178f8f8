/**
 * The dashboard the model builds for each environment (model/graph/dashboard.ts): every metric it
 * shows names a queue, DLQ or function of that environment with a metric from the catalogue
 * (model/metrics.ts), every queue and every consumer appears, the alarm widget lists every alarm,
 * and the widgets tile CloudWatch's 24-column grid in pipeline order. Both renderings carry this
 * same body (test/model/equivalence.test.ts).
 */
import path from 'node:path';
import {
  buildGraph,
  FUNCTION_METRICS,
  QUEUE_METRICS,
  type DashboardNode,
  type DashboardWidget,
  type EnvironmentGraph,
  type EnvironmentProfiles,
  type Topology,
} from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';

const handler = path.join(__dirname, '..', 'constructs', 'fixtures', 'payments-worker', 'handler.ts');

/** Another shape: a FIFO queue, two competing consumers, a queue nobody consumes, a function on no queue. */
const variant: Topology = {
  queues: [{ name: 'payments', fifo: true, visibilityTimeoutSeconds: 60 }, { name: 'refunds', visibilityTimeoutSeconds: 60 }, { name: 'audit' }],
  functions: [
    { name: 'checkout', entry: handler, publishesTo: ['payments'] },
    { name: 'charger', entry: handler, consumes: { queue: 'payments' }, publishesTo: ['refunds'] },
    { name: 'refunder-a', entry: handler, consumes: { queue: 'refunds', maximumConcurrency: 5 } },
    { name: 'refunder-b', entry: handler, consumes: { queue: 'refunds' }, reservedConcurrency: 3 },
    { name: 'reporter', entry: handler },
  ],
};
const variantProfiles: EnvironmentProfiles = { test: {} };

const cases: [string, EnvironmentGraph][] = [
  ...Object.keys(environments).map((env): [string, EnvironmentGraph] => [`reference ${env}`, buildGraph(topology, environments, env)]),
  ['variant', buildGraph(variant, variantProfiles, 'test')],
];

function dashboardOf(graph: EnvironmentGraph): DashboardNode {
  const node = graph.nodes.find((candidate): candidate is DashboardNode => 'properties' in candidate && candidate.type === 'cloudwatch:dashboard');
  if (!node) throw new Error(`${graph.environment} has no dashboard`);
  return node;
}

type MetricLine = readonly [string, string, string, string, Record<string, unknown>];
const metricLines = (widget: DashboardWidget) =>
  ((widget.properties.metrics ?? []) as readonly unknown[]).filter((line): line is MetricLine => Array.isArray(line));
const expressions = (widget: DashboardWidget) =>
  ((widget.properties.metrics ?? []) as readonly unknown[]).filter((line): line is { expression: string; id: string } => !Array.isArray(line));

describe.each(cases)('the %s dashboard', (_name, graph) => {
  const { settings } = graph;
  const body = dashboardOf(graph).properties.DashboardBody;
  const widgets = body.widgets;
  const queueNames = new Set(settings.queues.flatMap((queue) => [queue.queueName, queue.deadLetterQueueName]));
  const functionNames = new Set(settings.functions.map((fn) => fn.functionName));

  it('shows only metrics of the catalogue, each about a queue, DLQ or function of this environment', () => {
    const known = new Map<string, string>([
      ...Object.values(QUEUE_METRICS).map((metric) => [`${metric.namespace} ${metric.metricName}`, 'QueueName'] as const),
      ...Object.values(FUNCTION_METRICS).map((metric) => [`${metric.namespace} ${metric.metricName}`, 'FunctionName'] as const),
    ]);
    const lines = widgets.flatMap(metricLines);
    expect(lines.length).toBeGreaterThan(0);
    for (const [namespace, metricName, dimension, value] of lines) {
      expect({ metric: `${namespace} ${metricName}`, dimension: known.get(`${namespace} ${metricName}`) }).toEqual({ metric: `${namespace} ${metricName}`, dimension });
      expect(dimension === 'QueueName' ? queueNames.has(value) : functionNames.has(value)).toBe(true);
    }
  });

  it('computes each expression from metrics of the same widget', () => {
    for (const widget of widgets) {
      for (const expression of expressions(widget)) {
        const ids = new Set(metricLines(widget).map((line) => line[4].id));
        // Metric math functions are upper case (IF, PERIOD); ids are lower case.
        const used = new Set(expression.expression.match(/\b[a-z]\w*\b/g));
        expect(used.size).toBeGreaterThan(0);
        expect([...used].filter((id) => !ids.has(id))).toEqual([]);
      }
    }
  });

  it('shows every queue, every DLQ, every function, and each consumer next to the queue it consumes', () => {
    const shown = new Set(widgets.flatMap(metricLines).map((line) => line[3]));
    expect([...queueNames].filter((name) => !shown.has(name))).toEqual([]);
    expect([...functionNames].filter((name) => !shown.has(name))).toEqual([]);
    for (const fn of settings.functions.filter((candidate) => candidate.consumes)) {
      const queue = settings.queues.find((candidate) => candidate.name === fn.consumes!.queue)!;
      const header = widgets.findIndex((widget) => widget.type === 'text' && String(widget.properties.markdown).startsWith(`### ${queue.name} queue`));
      const next = widgets.findIndex((widget, index) => index > header && widget.type === 'text');
      const section = widgets.slice(header, next === -1 ? undefined : next);
      expect(section.flatMap(metricLines).some((line) => line[3] === fn.functionName)).toBe(true);
      expect(String(widgets[header]!.properties.markdown)).toContain(fn.name);
    }
  });

  it('lists every alarm of the environment, by ARN, in the status widget on top', () => {
    const alarmNames = graph.nodes.flatMap((node) => ('properties' in node && node.type === 'cloudwatch:alarm' ? [node.properties.AlarmName] : []));
    const [top] = widgets;
    expect(top).toMatchObject({ type: 'alarm', x: 0, y: 0, width: 24 });
    const arns = (top!.properties.alarms as { $sub: string }[]).map((arn) => arn.$sub);
    expect(arns).toEqual(alarmNames.map((name) => `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${name}`));
  });

  it('tiles the 24-column grid without overlaps, rows in order', () => {
    const cells = new Set<string>();
    for (const widget of widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      for (let x = widget.x; x < widget.x + widget.width; x++) {
        for (let y = widget.y; y < widget.y + widget.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
    const ys = widgets.map((widget) => widget.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });
});

it('lays the reference pipeline out upstream first: order-service, then the order, inventory and notification queues', () => {
  const headers = dashboardOf(buildGraph(topology, environments, 'production'))
    .properties.DashboardBody.widgets.filter((widget) => widget.type === 'text')
    .map((widget) => String(widget.properties.markdown));
  expect(headers).toEqual([
    '#### order-service — produces to order',
    '### order queue — from order-service to inventory-service',
    '### inventory queue — from inventory-service to shipping-service',
    '### notification queue — from shipping-service to notification-service',
  ]);
});

it('draws the maximum a consumer may scale to: its maximum concurrency, else its reserved concurrency', () => {
  const widgets = dashboardOf(buildGraph(variant, variantProfiles, 'test')).properties.DashboardBody.widgets;
  const concurrency = (fn: string) => widgets.find((widget) => widget.properties.title === `${fn}: concurrent executions`);
  expect(concurrency('refunder-a')!.properties.annotations).toEqual({ horizontal: [{ label: 'maximum concurrency', value: 5 }] });
  expect(concurrency('refunder-b')!.properties.annotations).toEqual({ horizontal: [{ label: 'reserved concurrency', value: 3 }] });
  expect(widgets.some((widget) => widget.properties.title === 'charger: concurrent executions (no maximum set)')).toBe(true);
});

it('is left out when the profile turns it off, with its outputs', () => {
  const graph = buildGraph(topology, { ...environments, development: { ...environments.development, dashboard: { enabled: false } } }, 'development');
  expect(graph.nodes.filter((node) => node.type === 'cloudwatch:dashboard')).toEqual([]);
  expect(graph.outputs.map((output) => output.name)).not.toContain('dashboard_name');
});
