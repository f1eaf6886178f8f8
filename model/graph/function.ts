/**
 * The nodes of one Lambda service: its log group, its role (only its own log group, plus the send
 * and consume policies of the queues it publishes to and reads), the function, its function URL
 * and the event source mapping of the queue it consumes.
 */
import { IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE, IDEMPOTENCY_TABLE_NAME_VARIABLE } from '../idempotency-contract';
import { FUNCTION_BASE_POLICY_NAME, nodeIds } from '../naming';
import type { ResolvedConsumer, ResolvedFunction } from '../resolve/resolved';
import { logStreamsArn } from './arns';
import { roleDescription } from './descriptions';
import type { EventSourceMappingNode, FunctionNode, FunctionUrlNode, LogGroupNode, NodeOrigin, RoleNode } from './nodes';
import { functionBasePolicy, lambdaTrustPolicy } from './policies';
import { ref, type GraphValue } from './values';

export interface FunctionNodes {
  readonly logGroup: LogGroupNode;
  readonly role: RoleNode;
  readonly function: FunctionNode;
  /** When the function has a function URL. */
  readonly url?: FunctionUrlNode;
  /** When the function consumes a queue. */
  readonly eventSourceMapping?: EventSourceMappingNode;
}

export interface FunctionContext {
  /** ARN of the key that encrypts the log group, when the function's logEncryption says so. */
  readonly logKeyArn?: GraphValue;
  /** The environment's idempotency table: the function's records live there. @default none (idempotency off) */
  readonly idempotencyTable?: { readonly name: GraphValue; readonly arn: GraphValue };
  /**
   * ARN and URL of the queue it consumes, and the URLs of the queues it publishes to, by logical
   * name. @default references to the topology's queue nodes
   */
  readonly queues?: {
    readonly arn: (queue: string) => GraphValue;
    readonly url: (queue: string) => GraphValue;
    readonly sendPolicyArn: (queue: string) => GraphValue;
    readonly consumePolicyArn: (queue: string) => GraphValue;
  };
}

/** References to the topology's own queue nodes. */
const TOPOLOGY_QUEUES: NonNullable<FunctionContext['queues']> = {
  arn: (queue) => ref(nodeIds.queue(queue), 'arn'),
  url: (queue) => ref(nodeIds.queue(queue), 'url'),
  sendPolicyArn: (queue) => ref(nodeIds.sendPolicy(queue), 'arn'),
  consumePolicyArn: (queue) => ref(nodeIds.consumePolicy(queue), 'arn'),
};

export function functionNodes(fn: ResolvedFunction, context: FunctionContext = {}): FunctionNodes {
  const origin: NodeOrigin = { kind: 'function', name: fn.name };
  const queues = context.queues ?? TOPOLOGY_QUEUES;
  const ids = { logGroup: nodeIds.logGroup(fn.name), role: nodeIds.role(fn.name), function: nodeIds.function(fn.name) };
  const logGroup: LogGroupNode = {
    id: ids.logGroup,
    type: 'logs:log-group',
    origin,
    properties: {
      LogGroupName: fn.logGroupName,
      RetentionInDays: fn.logRetentionDays,
      ...(fn.logEncryption === 'environment-key' && context.logKeyArn !== undefined ? { KmsKeyId: context.logKeyArn } : {}),
    },
    tags: fn.tags,
  };
  const role: RoleNode = {
    id: ids.role,
    type: 'iam:role',
    origin,
    properties: {
      RoleName: fn.roleName,
      Description: roleDescription(fn.functionName),
      AssumeRolePolicyDocument: lambdaTrustPolicy(),
      Policies: [{ PolicyName: FUNCTION_BASE_POLICY_NAME, PolicyDocument: functionBasePolicy(logStreamsArn(fn.logGroupName), fn.tracing, context.idempotencyTable?.arn) }],
      // Its only queue rights: send to what it publishes to, consume what it reads.
      ManagedPolicyArns: [...fn.publishesTo.map(queues.sendPolicyArn), ...(fn.consumes ? [queues.consumePolicyArn(fn.consumes.queue)] : [])],
    },
    tags: fn.tags,
  };
  const variables: Record<string, GraphValue> = { ...fn.environmentVariables };
  for (const [variable, queue] of Object.entries(fn.queueUrlVariables)) variables[variable] = queues.url(queue);
  if (context.idempotencyTable) {
    variables[IDEMPOTENCY_TABLE_NAME_VARIABLE] = context.idempotencyTable.name;
    variables[IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE] = String(fn.idempotencyExpirySeconds);
  }
  const functionNode: FunctionNode = {
    id: ids.function,
    type: 'lambda:function',
    origin,
    code: { entry: fn.entry },
    properties: {
      FunctionName: fn.functionName,
      Description: fn.description,
      Role: ref(ids.role, 'arn'),
      Runtime: fn.runtime,
      Architectures: [fn.architecture],
      Handler: fn.handler,
      Timeout: fn.timeoutSeconds,
      MemorySize: fn.memorySizeMb,
      ...(fn.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: fn.reservedConcurrency } : {}),
      Environment: { Variables: sortedKeys(variables) },
      TracingConfig: { Mode: fn.tracing ? 'Active' : 'PassThrough' },
      // Powertools already writes JSON lines; JSON format keeps Lambda's own lines structured too.
      // Naming the log group makes it exist first, or Lambda creates one with infinite retention.
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(ids.logGroup, 'name') },
    },
    tags: fn.tags,
    // The role's inline log policy (a resource of its own in Terraform) must exist first.
    dependsOn: [ids.role],
  };
  const url: FunctionUrlNode | undefined = fn.functionUrl
    ? {
        id: nodeIds.functionUrl(fn.name),
        type: 'lambda:url',
        origin,
        // Callers sign with SigV4; anonymous access would let anyone invoke the function.
        properties: { AuthType: 'AWS_IAM', TargetFunctionArn: ref(ids.function, 'arn') },
      }
    : undefined;
  const eventSourceMapping = fn.consumes
    ? eventSourceMappingNode({ name: fn.name, queueArn: queues.arn(fn.consumes.queue), functionArn: ref(ids.function, 'arn'), consumer: fn.consumes, roleNodeId: ids.role })
    : undefined;
  return { logGroup, role, function: functionNode, ...(url ? { url } : {}), ...(eventSourceMapping ? { eventSourceMapping } : {}) };
}

function sortedKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What an event source mapping node is made of. */
export interface EventSourceMappingInput {
  /** Logical name of the consuming function (node id and origin). */
  readonly name: string;
  readonly queueArn: GraphValue;
  readonly functionArn: GraphValue;
  readonly consumer: ResolvedConsumer;
  /** The function's role node, when the graph has it: AWS checks the role may read the queue. */
  readonly roleNodeId?: string;
}

export function eventSourceMappingNode(input: EventSourceMappingInput): EventSourceMappingNode {
  const { consumer } = input;
  return {
    id: nodeIds.eventSourceMapping(input.name),
    type: 'lambda:event-source-mapping',
    origin: { kind: 'function', name: input.name },
    properties: {
      EventSourceArn: input.queueArn,
      FunctionName: input.functionArn,
      BatchSize: consumer.batchSize,
      MaximumBatchingWindowInSeconds: consumer.maximumBatchingWindowSeconds,
      // One bad record must not redeliver its whole batch.
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ...(consumer.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: consumer.maximumConcurrency } } : {}),
    },
    // AWS checks that the role may read the queue when the mapping is created.
    ...(input.roleNodeId !== undefined ? { dependsOn: [input.roleNodeId] } : {}),
  };
}
