import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { Construct } from 'constructs';
import { QueueAccessPolicies, type RoleReference } from './queue-access-policies';
import { resolveQueueSpec, tlsOnlyQueuePolicy, type EnvironmentName, type QueueDefinition, type ResolvedQueue, type StandaloneQueueOptions } from './spec';

export interface QueuePairProps {
  /**
   * The queue: either resolved by the spec layer (`resolveEnvironment`, `resolveQueueSpec`) or a
   * plain definition, which is then resolved (defaults applied, every rule checked) for `environment`.
   */
  readonly queue: ResolvedQueue | QueueDefinition;
  /** Required when `queue` is a plain definition. */
  readonly environment?: EnvironmentName;
  /** Encryption, alarm defaults and tags used when `queue` is a plain definition. @default SQS-managed SSE */
  readonly options?: StandaloneQueueOptions;
  /**
   * ARN of the KMS key when the queue's encryption is KMS and the key is created elsewhere in the
   * stack (a token). @default the spec's `encryption.keyArn`
   */
  readonly kmsKeyArn?: string;
}

/**
 * A queue and its dead-letter queue: redrive after `maxReceiveCount` receives, a redrive-allow
 * policy on the DLQ naming only its source (`byQueue`), server-side encryption (SQS-managed or
 * KMS), TLS-only queue policies on both, and send/consume managed policies.
 */
export class QueuePair extends Construct {
  /** The resolved spec this pair was built from. */
  readonly spec: ResolvedQueue;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  readonly access: QueueAccessPolicies;
  /** ARN of the key encrypting both queues, when it is a customer-managed KMS key. */
  readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: QueuePairProps) {
    super(scope, id);
    this.spec = resolveProps(props);
    const spec = this.spec;
    this.kmsKeyArn = spec.encryption.type === 'kms' ? (props.kmsKeyArn ?? spec.encryption.keyArn) : undefined;
    if (spec.encryption.type === 'kms' && this.kmsKeyArn === undefined) {
      throw new Error(`queue "${spec.name}" (${spec.environment}): encryption is KMS but no key ARN was given; pass kmsKeyArn or set encryption.keyArn`);
    }

    const encryption =
      spec.encryption.type === 'kms'
        ? { kmsMasterKeyId: this.kmsKeyArn, kmsDataKeyReusePeriodSeconds: spec.encryption.dataKeyReusePeriodSeconds }
        : { sqsManagedSseEnabled: true };
    const fifo = spec.fifoSettings
      ? {
          fifoQueue: true,
          contentBasedDeduplication: spec.fifoSettings.contentBasedDeduplication,
          deduplicationScope: spec.fifoSettings.deduplicationScope,
          fifoThroughputLimit: spec.fifoSettings.fifoThroughputLimit,
        }
      : {};

    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: spec.deadLetterQueueName,
      messageRetentionSeconds: spec.deadLetterRetentionSeconds,
      // Same size limit as the source: every message that fits there must fit here.
      maxMessageSize: spec.maximumMessageSizeBytes,
      // Operators read the DLQ with long polling too.
      receiveWaitTimeSeconds: spec.receiveWaitTimeSeconds,
      ...encryption,
      ...fifo,
      tags: { ...spec.tags, Role: 'dead-letter-queue' },
    });

    this.queue = new SqsQueue(this, 'queue', {
      name: spec.queueName,
      visibilityTimeoutSeconds: spec.visibilityTimeoutSeconds,
      messageRetentionSeconds: spec.messageRetentionSeconds,
      delaySeconds: spec.deliveryDelaySeconds,
      receiveWaitTimeSeconds: spec.receiveWaitTimeSeconds,
      maxMessageSize: spec.maximumMessageSizeBytes,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: spec.maxReceiveCount }),
      ...encryption,
      ...fifo,
      tags: { ...spec.tags, Role: 'queue' },
    });

    // A separate resource: inline on the DLQ it would reference the source queue, which already
    // references the DLQ through its redrive policy (a cycle).
    new SqsQueueRedriveAllowPolicy(this, 'dlq-redrive-allow', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });
    new SqsQueuePolicy(this, 'queue-policy', { queueUrl: this.queue.url, policy: JSON.stringify(tlsOnlyQueuePolicy(this.queue.arn)) });
    new SqsQueuePolicy(this, 'dlq-policy', { queueUrl: this.deadLetterQueue.url, policy: JSON.stringify(tlsOnlyQueuePolicy(this.deadLetterQueue.arn)) });

    this.access = new QueueAccessPolicies(this, 'access', { queue: spec, queueArn: this.queue.arn, kmsKeyArn: this.kmsKeyArn });
  }

  get queueUrl(): string {
    return this.queue.url;
  }
  get queueArn(): string {
    return this.queue.arn;
  }
  get deadLetterQueueUrl(): string {
    return this.deadLetterQueue.url;
  }
  get deadLetterQueueArn(): string {
    return this.deadLetterQueue.arn;
  }

  /** Lets `role` send to the queue (attaches the send managed policy). */
  grantSend(role: RoleReference) {
    return this.access.grantSend(role);
  }

  /** Lets `role` receive, delete and extend visibility on the queue (attaches the consume policy). */
  grantConsume(role: RoleReference) {
    return this.access.grantConsume(role);
  }
}

function resolveProps(props: QueuePairProps): ResolvedQueue {
  if ('resolved' in props.queue && props.queue.resolved === true) return props.queue as ResolvedQueue;
  if (props.environment === undefined) {
    throw new Error(`queue "${props.queue.name}": pass environment when queue is a plain definition`);
  }
  return resolveQueueSpec(props.environment, props.queue as QueueDefinition, props.options);
}
