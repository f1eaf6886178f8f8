/**
 * What the model makes of the alarm and endpoint settings: every function's error-rate and throttle
 * alarms (on by default, tuned per environment, per function, or off), the opt-in time-to-drain
 * alarm, and the SSM parameters with their read-only policy. The renderings of these nodes are
 * checked by the equivalence test; bad values by invalid-configurations.test.ts.
 */
import {
  buildGraph,
  ERROR_RATE,
  FUNCTION_ALARM_DEFAULTS,
  nodeIds,
  TIME_TO_DRAIN,
  type AlarmNode,
  type EnvironmentGraph,
  type EnvironmentProfiles,
  type ManagedPolicyNode,
  type ParameterNode,
} from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';

const nodeOf = <N>(graph: EnvironmentGraph, id: string): N | undefined => graph.nodes.find((node) => node.id === id) as N | undefined;
const alarm = (graph: EnvironmentGraph, id: string) => nodeOf<AlarmNode>(graph, id)?.properties;
const withProfile = (environment: string, change: (profile: Record<string, unknown>) => void): EnvironmentProfiles => {
  const profile = structuredClone(environments[environment]) as Record<string, unknown>;
  change(profile);
  return { ...environments, [environment]: profile };
};

describe('function alarms', () => {
  it('give every function an error-rate alarm (errors as a share of invocations) and a throttle alarm by default', () => {
    const graph = buildGraph(topology, environments, 'staging');
    for (const fn of graph.settings.functions) {
      expect(alarm(graph, nodeIds.functionAlarm(fn.name, 'errorRate'))).toMatchObject({
        AlarmName: `staging-${fn.name}-error-rate`,
        Threshold: FUNCTION_ALARM_DEFAULTS.errorRate.threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'notBreaching',
        Metrics: [
          { Id: 'errors', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: fn.functionName }] }, Period: 300, Stat: 'Sum' } },
          { Id: 'invocations', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: fn.functionName }] }, Period: 300, Stat: 'Sum' } },
          { Id: 'measure', ReturnData: true, Expression: ERROR_RATE.expression, Label: ERROR_RATE.label },
        ],
      });
      expect(alarm(graph, nodeIds.functionAlarm(fn.name, 'errorRate'))).not.toHaveProperty('MetricName');
      expect(alarm(graph, nodeIds.functionAlarm(fn.name, 'throttles'))).toMatchObject({
        MetricName: 'Throttles',
        Statistic: 'Sum',
        Threshold: 10,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ $ref: nodeIds.alertTopic, $attribute: 'arn' }],
      });
    }
  });

  it('take the environment\'s functionDefaults, then the function\'s own settings, and can be turned off', () => {
    const profiles = withProfile('production', (profile) => {
      profile.functionDefaults = { ...(profile.functionDefaults as object), alarms: { errorRate: { threshold: 1 }, throttles: { enabled: false } } };
      profile.functions = { ...(profile.functions as object), 'notification-service': { alarms: { errorRate: { threshold: 20, evaluationPeriods: 5 } } } };
    });
    const graph = buildGraph(topology, profiles, 'production');
    expect(alarm(graph, nodeIds.functionAlarm('order-service', 'errorRate'))).toMatchObject({ Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    expect(alarm(graph, nodeIds.functionAlarm('notification-service', 'errorRate'))).toMatchObject({ Threshold: 20, EvaluationPeriods: 5, DatapointsToAlarm: 5 });
    expect(graph.nodes.filter((node) => node.id.endsWith('ThrottlesAlarm'))).toEqual([]);
    // Other environments keep the defaults.
    expect(alarm(buildGraph(topology, profiles, 'staging'), nodeIds.functionAlarm('order-service', 'throttles'))).toBeDefined();
  });
});

describe('the time-to-drain alarm', () => {
  it('is off by default', () => {
    expect(buildGraph(topology, environments, 'production').nodes.filter((node) => node.id.endsWith('TimeToDrainAlarm'))).toEqual([]);
  });

  it('when turned on, compares the visible backlog over the delete rate (metric math) with its threshold', () => {
    const profiles = withProfile('production', (profile) => (profile.alarms = { timeToDrain: { enabled: true, threshold: 600 } }));
    const graph = buildGraph(topology, profiles, 'production');
    const drain = alarm(graph, nodeIds.alarm('order', 'timeToDrain'))!;
    expect(drain).toMatchObject({ AlarmName: 'production-order-queue-time-to-drain', Threshold: 600, TreatMissingData: 'notBreaching' });
    expect(drain.Metrics!.map((query) => query.Id)).toEqual(['visible', 'deleted', 'measure']);
    expect(drain.Metrics![2]).toEqual({ Id: 'measure', ReturnData: true, Expression: TIME_TO_DRAIN.expression, Label: TIME_TO_DRAIN.label });
  });
});

describe('queue endpoints in SSM Parameter Store', () => {
  it('publish each queue\'s URL and ARN and its DLQ\'s under /<environment>/messaging, read from the queue nodes', () => {
    const graph = buildGraph(topology, environments, 'production');
    const parameters = graph.nodes.filter((node): node is ParameterNode => node.type === 'ssm:parameter' && 'properties' in node);
    expect(parameters.map((node) => node.properties.Name)).toEqual(
      ['order', 'inventory', 'notification'].flatMap((queue) => ['queue-url', 'queue-arn', 'dlq-url', 'dlq-arn'].map((what) => `/production/messaging/${queue}/${what}`)),
    );
    expect(nodeOf<ParameterNode>(graph, nodeIds.parameter('order', 'queue-url'))!.properties).toMatchObject({
      Type: 'String',
      Tier: 'Standard',
      Value: { $ref: nodeIds.queue('order'), $attribute: 'url' },
    });
    expect(nodeOf<ParameterNode>(graph, nodeIds.parameter('order', 'dlq-arn'))!.properties.Value).toEqual({ $ref: nodeIds.deadLetterQueue('order'), $attribute: 'arn' });
  });

  it('come with a policy that reads that path and nothing else', () => {
    const graph = buildGraph(topology, environments, 'production');
    expect(nodeOf<ManagedPolicyNode>(graph, nodeIds.parametersReadPolicy)!.properties).toEqual({
      ManagedPolicyName: 'production-messaging-endpoints-read',
      Description: 'Read the queue endpoints published under /production/messaging in SSM Parameter Store',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadQueueEndpoints',
            Effect: 'Allow',
            Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
            Resource: [
              { $sub: 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/production/messaging' },
              { $sub: 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/production/messaging/*' },
            ],
          },
        ],
      },
    });
    expect(graph.outputs.find((output) => output.name === 'parameter_path')!.value).toBe('/production/messaging');
  });

  it('put the scope first in the default path, take a path of your own, or stay out', () => {
    const scoped = buildGraph(topology, withProfile('staging', (profile) => (profile.scope = 'payments')), 'staging');
    expect(nodeOf<ParameterNode>(scoped, nodeIds.parameter('order', 'queue-url'))!.properties.Name).toBe('/payments/staging/messaging/order/queue-url');
    const custom = buildGraph(topology, withProfile('staging', (profile) => (profile.parameters = { path: '/shared/queues' })), 'staging');
    expect(nodeOf<ParameterNode>(custom, nodeIds.parameter('order', 'queue-url'))!.properties.Name).toBe('/shared/queues/order/queue-url');
    const off = buildGraph(topology, withProfile('staging', (profile) => (profile.parameters = { enabled: false })), 'staging');
    expect(off.nodes.filter((node) => node.type === 'ssm:parameter' || node.id === nodeIds.parametersReadPolicy)).toEqual([]);
    expect(off.outputs.map((output) => output.name)).not.toContain('parameter_path');
  });
});
