/**
 * SQS attributes of a resolved queue pair, as the CreateQueue / SetQueueAttributes API takes them.
 * The same values the cdktf `QueuePair` and the CloudFormation template set, read from the spec.
 */
import type { ResolvedQueue } from '../constructs/spec';

export type QueueAttributes = Record<string, string>;

/** Attributes of the main queue; `deadLetterQueueArn` wires the redrive policy. */
export function mainQueueAttributes(queue: ResolvedQueue, deadLetterQueueArn: string): QueueAttributes {
  return {
    ...commonAttributes(queue, queue.messageRetentionSeconds),
    VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    DelaySeconds: String(queue.deliveryDelaySeconds),
    ReceiveMessageWaitTimeSeconds: String(queue.receiveWaitTimeSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount: queue.maxReceiveCount }),
  };
}

/**
 * Attributes of the dead-letter queue: its own retention and a redrive-allow policy naming only
 * its source queue (DESIGN §4). Visibility, delay and long polling keep SQS's defaults, as in the
 * deployed stacks.
 */
export function deadLetterQueueAttributes(queue: ResolvedQueue, sourceQueueArn: string): QueueAttributes {
  return {
    ...commonAttributes(queue, queue.deadLetterRetentionSeconds),
    RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [sourceQueueArn] }),
  };
}

/**
 * Attributes that may only be given when a queue is created (SetQueueAttributes rejects them on the
 * embedded server, and AWS rejects changing FifoQueue).
 */
export const CREATE_ONLY_ATTRIBUTES: ReadonlySet<string> = new Set(['FifoQueue', 'DeduplicationScope', 'FifoThroughputLimit']);

function commonAttributes(queue: ResolvedQueue, retentionSeconds: number): QueueAttributes {
  const attributes: QueueAttributes = {
    MessageRetentionPeriod: String(retentionSeconds),
    MaximumMessageSize: String(queue.maximumMessageSizeBytes),
    // Encryption at rest means nothing on loopback; the flag is kept so the attribute set matches
    // the deployed queues. A KMS key of the environment is not emulated locally.
    SqsManagedSseEnabled: 'true',
  };
  if (queue.fifo && queue.fifoSettings) {
    attributes.FifoQueue = 'true';
    attributes.ContentBasedDeduplication = String(queue.fifoSettings.contentBasedDeduplication);
    attributes.DeduplicationScope = queue.fifoSettings.deduplicationScope;
    attributes.FifoThroughputLimit = queue.fifoSettings.fifoThroughputLimit;
  }
  return attributes;
}
