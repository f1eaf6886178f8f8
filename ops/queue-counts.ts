/** Message counts of a queue, as SQS reports them (approximate, as the attribute names say). */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface QueueCounts {
  /** Visible: waiting to be received. */
  readonly visible: number;
  /** Received and not yet deleted (in their visibility timeout). */
  readonly inFlight: number;
  /** Not yet visible (delay). */
  readonly delayed: number;
}

export interface QueueState extends QueueCounts {
  /** The queue's RedrivePolicy, when it has one. */
  readonly redrivePolicy?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
}

export async function readQueueState(sqs: SQSClient, queueUrl: string): Promise<QueueState> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'RedrivePolicy'],
    }),
  );
  const policy = attributes.RedrivePolicy ? (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string }) : undefined;
  return {
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    ...(policy?.deadLetterTargetArn ? { redrivePolicy: { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) } } : {}),
  };
}

export function totalMessages(counts: QueueCounts): number {
  return counts.visible + counts.inFlight + counts.delayed;
}
