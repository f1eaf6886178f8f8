/**
 * The nodes of one queue pair: the queue and its dead-letter queue as SQS attribute maps, a
 * TLS-only policy on each, and the `send` / `consume` managed policies.
 */
import { nodeIds } from '../naming';
import type { ResolvedEncryption, ResolvedQueue } from '../resolve/resolved';
import { queueArnOf } from './arns';
import { consumePolicyDescription, sendPolicyDescription } from './descriptions';
import type { ManagedPolicyNode, NodeOrigin, SqsQueueNode, SqsQueuePolicyNode, SqsQueueProperties } from './nodes';
import { queueConsumePolicy, queueSendPolicy, tlsOnlyQueuePolicy } from './policies';
import { ref, type GraphValue } from './values';

export interface QueuePairNodes {
  readonly queue: SqsQueueNode;
  readonly deadLetterQueue: SqsQueueNode;
  readonly queuePolicy: SqsQueuePolicyNode;
  readonly deadLetterQueuePolicy: SqsQueuePolicyNode;
  readonly sendPolicy: ManagedPolicyNode;
  readonly consumePolicy: ManagedPolicyNode;
}

/** Tag that tells the two queues of a pair apart. */
const ROLE_TAG = 'Role';

/**
 * The ARN of the key that encrypts an environment's resources: the existing key's ARN, or a
 * reference to the key node the environment creates. Undefined with SQS-managed encryption.
 */
export function encryptionKeyArn(encryption: ResolvedEncryption): GraphValue | undefined {
  if (encryption.type !== 'kms') return undefined;
  return encryption.keyArn ?? ref(nodeIds.encryptionKey, 'arn');
}

/** The nodes of `queue`'s pair. `keyArn` overrides where the KMS key comes from (a standalone pair). */
export function queuePairNodes(queue: ResolvedQueue, keyArn: GraphValue | undefined = encryptionKeyArn(queue.encryption)): QueuePairNodes {
  const origin: NodeOrigin = { kind: 'queue', name: queue.name };
  const ids = {
    queue: nodeIds.queue(queue.name),
    deadLetterQueue: nodeIds.deadLetterQueue(queue.name),
  };
  const encryption: Partial<SqsQueueProperties> =
    queue.encryption.type === 'kms' && keyArn !== undefined
      ? { KmsMasterKeyId: keyArn, KmsDataKeyReusePeriodSeconds: queue.encryption.dataKeyReusePeriodSeconds }
      : { SqsManagedSseEnabled: true };
  const fifo: Partial<SqsQueueProperties> = queue.fifoSettings
    ? {
        FifoQueue: true,
        ContentBasedDeduplication: queue.fifoSettings.contentBasedDeduplication,
        DeduplicationScope: queue.fifoSettings.deduplicationScope,
        FifoThroughputLimit: queue.fifoSettings.fifoThroughputLimit,
      }
    : {};

  const deadLetterQueue: SqsQueueNode = {
    id: ids.deadLetterQueue,
    type: 'sqs:queue',
    origin,
    properties: {
      QueueName: queue.deadLetterQueueName,
      MessageRetentionPeriod: queue.deadLetterRetentionSeconds,
      // Operators read the DLQ with long polling too.
      ReceiveMessageWaitTimeSeconds: queue.receiveWaitTimeSeconds,
      // Same size limit as the source: every message that fits there must fit here.
      MaximumMessageSize: queue.maximumMessageSizeBytes,
      // Only the pair's own queue may dead-letter here. Named by an ARN built from the name: a
      // reference would make a cycle (the source's redrive policy refers to this queue).
      RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: [queueArnOf(queue.queueName)] },
      ...encryption,
      ...fifo,
    },
    tags: { ...queue.tags, [ROLE_TAG]: 'dead-letter-queue' },
  };
  const main: SqsQueueNode = {
    id: ids.queue,
    type: 'sqs:queue',
    origin,
    properties: {
      QueueName: queue.queueName,
      VisibilityTimeout: queue.visibilityTimeoutSeconds,
      MessageRetentionPeriod: queue.messageRetentionSeconds,
      DelaySeconds: queue.deliveryDelaySeconds,
      ReceiveMessageWaitTimeSeconds: queue.receiveWaitTimeSeconds,
      MaximumMessageSize: queue.maximumMessageSizeBytes,
      RedrivePolicy: { deadLetterTargetArn: ref(ids.deadLetterQueue, 'arn'), maxReceiveCount: queue.maxReceiveCount },
      ...encryption,
      ...fifo,
    },
    tags: { ...queue.tags, [ROLE_TAG]: 'queue' },
  };
  const policyOf = (id: string, target: string): SqsQueuePolicyNode => ({
    id,
    type: 'sqs:queue-policy',
    origin,
    properties: { Queues: [ref(target, 'url')], PolicyDocument: tlsOnlyQueuePolicy(ref(target, 'arn')) },
  });
  const queueArn = ref(ids.queue, 'arn');
  return {
    queue: main,
    deadLetterQueue,
    queuePolicy: policyOf(nodeIds.queuePolicy(queue.name), ids.queue),
    deadLetterQueuePolicy: policyOf(nodeIds.deadLetterQueuePolicy(queue.name), ids.deadLetterQueue),
    sendPolicy: {
      id: nodeIds.sendPolicy(queue.name),
      type: 'iam:managed-policy',
      origin,
      properties: {
        ManagedPolicyName: queue.sendPolicyName,
        Description: sendPolicyDescription(queue.queueName),
        PolicyDocument: queueSendPolicy(queueArn, queue.encryption.type === 'kms' ? keyArn : undefined),
      },
    },
    consumePolicy: {
      id: nodeIds.consumePolicy(queue.name),
      type: 'iam:managed-policy',
      origin,
      properties: {
        ManagedPolicyName: queue.consumePolicyName,
        Description: consumePolicyDescription(queue.queueName),
        PolicyDocument: queueConsumePolicy(queueArn, queue.encryption.type === 'kms' ? keyArn : undefined),
      },
    },
  };
}
