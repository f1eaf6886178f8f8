/**
 * The queue endpoints in SSM Parameter Store, for apps that look them up at runtime
 * (`loadQueueEndpoints`): per queue its URL and ARN and its DLQ's, under the environment's path,
 * and the managed policy that lets an app role read them and nothing else.
 */
import { nodeIds, parameterName, QUEUE_PARAMETERS, type QueueParameterKind } from '../naming';
import type { ResolvedEnvironment, ResolvedQueue } from '../resolve/resolved';
import { endpointsReadPolicyDescription } from './descriptions';
import type { ManagedPolicyNode, NodeOrigin, ParameterNode } from './nodes';
import { endpointsReadPolicy } from './policies';
import { ref, type GraphValue } from './values';

/** What each parameter holds: the node attribute it reads and how it is described. */
const HOLDS: Readonly<Record<QueueParameterKind, { value: (queue: string) => GraphValue; describe: (queue: string) => string }>> = {
  'queue-url': { value: (q) => ref(nodeIds.queue(q), 'url'), describe: (q) => `URL of the ${q} queue` },
  'queue-arn': { value: (q) => ref(nodeIds.queue(q), 'arn'), describe: (q) => `ARN of the ${q} queue` },
  'dlq-url': { value: (q) => ref(nodeIds.deadLetterQueue(q), 'url'), describe: (q) => `URL of the ${q} dead-letter queue` },
  'dlq-arn': { value: (q) => ref(nodeIds.deadLetterQueue(q), 'arn'), describe: (q) => `ARN of the ${q} dead-letter queue` },
};

export function queueParameterNodes(queue: ResolvedQueue, path: string): ParameterNode[] {
  const origin: NodeOrigin = { kind: 'queue', name: queue.name };
  return QUEUE_PARAMETERS.map((what) => ({
    id: nodeIds.parameter(queue.name, what),
    type: 'ssm:parameter',
    origin,
    properties: {
      Name: parameterName(path, queue.name, what),
      Type: 'String',
      // Standard: free, 4 KB values, enough for a URL or an ARN.
      Tier: 'Standard',
      Value: HOLDS[what].value(queue.name),
      Description: HOLDS[what].describe(queue.name),
    },
    tags: queue.tags,
  }));
}

export function endpointsReadPolicyNode(settings: ResolvedEnvironment, parameters: NonNullable<ResolvedEnvironment['parameters']>): ManagedPolicyNode {
  return {
    id: nodeIds.parametersReadPolicy,
    type: 'iam:managed-policy',
    origin: { kind: 'environment', name: settings.environment },
    properties: {
      ManagedPolicyName: parameters.readPolicyName,
      Description: endpointsReadPolicyDescription(parameters.path),
      PolicyDocument: endpointsReadPolicy(parameters.path),
    },
  };
}
