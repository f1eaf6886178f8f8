/**
 * One environment's resource graph: its key (created or referenced), alert topic (created or
 * referenced), queue pairs with their alarms, functions, and outputs. Built from settings the
 * resolve layer already validated, so it never fails.
 */
import { KMS_KEY_DELETION_WINDOW_DAYS } from '../defaults';
import { nodeIds, operatorPolicyName } from '../naming';
import type { ResolvedEnvironment, ResolvedFunction, ResolvedQueue } from '../resolve/resolved';
import { functionAlarmNodes, queueAlarmNodes } from './alarms';
import { dashboardNode } from './dashboard';
import { endpointsReadPolicyNode, queueParameterNodes } from './parameters';
import { environmentKeyDescription, operatorPolicyDescription } from './descriptions';
import { functionNodes, type FunctionNodes } from './function';
import { idempotencyTableNode } from './idempotency-table';
import type { AlarmNode, DashboardNode, GraphNode, ParameterNode, GraphOutput, KeyAliasNode, KeyNode, ManagedPolicyNode, NodeOrigin, ReferencedNode, TableNode, TopicNode, TopicPolicyNode } from './nodes';
import { environmentOutputs } from './outputs';
import { alertTopicPolicy, environmentKeyPolicy, operatorPolicy } from './policies';
import { queuePairNodes, type QueuePairNodes } from './queue-pair';
import { ref, type GraphValue } from './values';

export interface QueuePiece {
  readonly settings: ResolvedQueue;
  readonly nodes: QueuePairNodes;
  readonly alarms: readonly AlarmNode[];
  /** Its endpoints in SSM Parameter Store (none when the environment does not publish them). */
  readonly parameters: readonly ParameterNode[];
}

export interface FunctionPiece {
  readonly settings: ResolvedFunction;
  readonly nodes: FunctionNodes;
  readonly alarms: readonly AlarmNode[];
}

export interface EnvironmentGraph {
  readonly environment: string;
  /** What every resource name starts with: `<scope>-<environment>` or `<environment>`. */
  readonly namePrefix: string;
  readonly region?: string;
  /** Every node, in an order where a node comes after the nodes it refers to. */
  readonly nodes: readonly GraphNode[];
  readonly outputs: readonly GraphOutput[];
  /** The same nodes grouped by what they belong to, for renderers that build one piece at a time. */
  readonly pieces: {
    readonly key?: { readonly key: KeyNode; readonly alias: KeyAliasNode } | { readonly existing: ReferencedNode };
    /** When the environment has functions. */
    readonly idempotencyTable?: TableNode;
    readonly alerts: { readonly topic: TopicNode; readonly policy: TopicPolicyNode } | { readonly existing: ReferencedNode };
    /** When the environment has queues. */
    readonly operatorPolicy?: ManagedPolicyNode;
    /** When the environment publishes its queue endpoints in SSM. */
    readonly endpointsReadPolicy?: ManagedPolicyNode;
    /** Unless the profile turns it off. */
    readonly dashboard?: DashboardNode;
    readonly queues: readonly QueuePiece[];
    readonly functions: readonly FunctionPiece[];
  };
  /** The resolved settings the graph was built from. */
  readonly settings: ResolvedEnvironment;
}

export function environmentGraph(settings: ResolvedEnvironment): EnvironmentGraph {
  const origin: NodeOrigin = { kind: 'environment', name: settings.environment };
  const keyArn: GraphValue | undefined = settings.encryption.type === 'kms' ? ref(nodeIds.encryptionKey, 'arn') : undefined;
  const key = keyPiece(settings, origin);
  const alerts = alertsPiece(settings, origin, keyArn);
  const alarmActions = { topicArn: ref(nodeIds.alertTopic, 'arn'), actionsEnabled: settings.alerts.actionsEnabled, okActions: settings.alerts.okActions };
  const queues: QueuePiece[] = settings.queues.map((queue) => ({
    settings: queue,
    nodes: queuePairNodes(queue, keyArn),
    alarms: queueAlarmNodes(queue, alarmActions),
    parameters: settings.parameters ? queueParameterNodes(queue, settings.parameters.path) : [],
  }));
  const idempotencyTable = settings.idempotencyTable ? idempotencyTableNode(settings.idempotencyTable, origin, settings.tags, keyArn) : undefined;
  const functions: FunctionPiece[] = settings.functions.map((fn) => ({
    settings: fn,
    nodes: functionNodes(fn, {
      ...(keyArn !== undefined && settings.kmsKeyAlias !== undefined ? { logKeyArn: keyArn } : {}),
      ...(idempotencyTable ? { idempotencyTable: { name: ref(idempotencyTable.id, 'name'), arn: ref(idempotencyTable.id, 'arn') } } : {}),
    }),
    alarms: functionAlarmNodes(fn, alarmActions),
  }));
  const operatorPolicy = queues.length > 0 ? operatorPolicyNode(settings, origin, queues, keyArn) : undefined;
  const endpointsReadPolicy = settings.parameters ? endpointsReadPolicyNode(settings, settings.parameters) : undefined;
  const dashboard = settings.dashboard ? dashboardNode(settings, settings.dashboard.dashboardName) : undefined;
  const nodes: GraphNode[] = [
    ...(key ? ('existing' in key ? [key.existing] : [key.key, key.alias]) : []),
    ...(idempotencyTable ? [idempotencyTable] : []),
    ...('existing' in alerts ? [alerts.existing] : [alerts.topic, alerts.policy]),
    ...queues.flatMap(({ nodes: pair, alarms, parameters }) => [
      pair.deadLetterQueue,
      pair.queue,
      pair.queuePolicy,
      pair.deadLetterQueuePolicy,
      pair.sendPolicy,
      pair.consumePolicy,
      ...alarms,
      ...parameters,
    ]),
    ...(operatorPolicy ? [operatorPolicy] : []),
    ...(endpointsReadPolicy ? [endpointsReadPolicy] : []),
    ...functions.flatMap(({ nodes: fn, alarms }) => [
      fn.logGroup,
      fn.role,
      fn.function,
      ...(fn.url ? [fn.url] : []),
      ...(fn.eventSourceMapping ? [fn.eventSourceMapping] : []),
      ...alarms,
    ]),
    ...(dashboard ? [dashboard] : []),
  ];
  return {
    environment: settings.environment,
    namePrefix: settings.namePrefix,
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    nodes,
    outputs: environmentOutputs(settings),
    pieces: {
      ...(key ? { key } : {}),
      ...(idempotencyTable ? { idempotencyTable } : {}),
      alerts,
      ...(operatorPolicy ? { operatorPolicy } : {}),
      ...(endpointsReadPolicy ? { endpointsReadPolicy } : {}),
      ...(dashboard ? { dashboard } : {}),
      queues,
      functions,
    },
    settings,
  };
}

/** The policy to attach to the on-call role: what `ops` does, on this environment's queues. */
function operatorPolicyNode(settings: ResolvedEnvironment, origin: NodeOrigin, queues: readonly QueuePiece[], keyArn: GraphValue | undefined): ManagedPolicyNode {
  return {
    id: nodeIds.operatorPolicy,
    type: 'iam:managed-policy',
    origin,
    properties: {
      ManagedPolicyName: operatorPolicyName(settings.namePrefix),
      Description: operatorPolicyDescription(settings.namePrefix),
      PolicyDocument: operatorPolicy(
        queues.map(({ nodes }) => ref(nodes.deadLetterQueue.id, 'arn')),
        queues.map(({ nodes }) => ref(nodes.queue.id, 'arn')),
        keyArn,
      ),
    },
  };
}

function keyPiece(settings: ResolvedEnvironment, origin: NodeOrigin): EnvironmentGraph['pieces']['key'] {
  if (settings.encryption.type !== 'kms') return undefined;
  if (settings.encryption.keyArn !== undefined) {
    return { existing: { id: nodeIds.encryptionKey, type: 'kms:key', origin, existing: { arn: settings.encryption.keyArn } } };
  }
  const alias = settings.kmsKeyAlias!;
  return {
    key: {
      id: nodeIds.encryptionKey,
      type: 'kms:key',
      origin,
      properties: {
        Description: environmentKeyDescription(alias),
        EnableKeyRotation: true,
        PendingWindowInDays: KMS_KEY_DELETION_WINDOW_DAYS,
        KeyPolicy: environmentKeyPolicy(),
      },
      tags: settings.tags,
    },
    alias: { id: nodeIds.encryptionKeyAlias, type: 'kms:alias', origin, properties: { AliasName: alias, TargetKeyId: ref(nodeIds.encryptionKey, 'id') } },
  };
}

function alertsPiece(settings: ResolvedEnvironment, origin: NodeOrigin, keyArn: GraphValue | undefined): EnvironmentGraph['pieces']['alerts'] {
  if (settings.alerts.existingTopicArn !== undefined) {
    return { existing: { id: nodeIds.alertTopic, type: 'sns:topic', origin, existing: { arn: settings.alerts.existingTopicArn } } };
  }
  const topicArn = ref(nodeIds.alertTopic, 'arn');
  return {
    topic: {
      id: nodeIds.alertTopic,
      type: 'sns:topic',
      origin,
      properties: {
        TopicName: settings.alerts.topicName!,
        // CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, so
        // without a customer-managed key the topic is left unencrypted (alarm notifications carry
        // no message data).
        ...(keyArn !== undefined ? { KmsMasterKeyId: keyArn } : {}),
      },
      tags: settings.tags,
    },
    policy: { id: nodeIds.alertTopicPolicy, type: 'sns:topic-policy', origin, properties: { Topics: [topicArn], PolicyDocument: alertTopicPolicy(topicArn) } },
  };
}
