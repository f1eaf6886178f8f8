/**
 * Per-queue progress of a local pipeline: what SQS reports (waiting, in flight, dead-lettered) plus
 * what the queue's mapping counted (processed, retried). `sent` is derived: with the mapping the
 * only consumer, every message sent is waiting, in flight, processed or dead-lettered.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LocalPipeline } from './pipeline';

export interface QueueProgress {
  /** Logical queue name, e.g. `order`. */
  readonly queue: string;
  readonly sent: number;
  /** Visible or delayed on the queue. */
  readonly waiting: number;
  /** Received and not yet deleted or returned. */
  readonly inFlight: number;
  /** Deleted after the consumer succeeded. */
  readonly processed: number;
  /** Deliveries that failed and left the message for another attempt. */
  readonly retried: number;
  /** On the queue's DLQ. */
  readonly deadLettered: number;
}

/**
 * Reads the queues one after another in topology order (upstream first): a message moving
 * downstream between two reads is then seen on one of them, never on neither.
 */
export async function readProgress(pipeline: LocalPipeline): Promise<QueueProgress[]> {
  const rows: QueueProgress[] = [];
  for (const queue of pipeline.queues) {
    const main = await counts(pipeline.client, queue.queueUrl);
    const dlq = await counts(pipeline.client, queue.deadLetterQueueUrl);
    const stats = pipeline.consumers.find((consumer) => consumer.queue === queue)?.mapping.stats();
    const processed = stats?.processed ?? 0;
    const deadLettered = dlq.visible + dlq.inFlight + dlq.delayed;
    rows.push({
      queue: queue.spec.name,
      sent: main.visible + main.delayed + main.inFlight + processed + deadLettered,
      waiting: main.visible + main.delayed,
      inFlight: main.inFlight,
      processed,
      retried: stats?.failedAttempts ?? 0,
      deadLettered,
    });
  }
  return rows;
}

/** True when no queue holds a message that could still be processed. */
export function isSettled(progress: readonly QueueProgress[]): boolean {
  return progress.every((row) => row.waiting === 0 && row.inFlight === 0);
}

async function counts(client: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes: attributes = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}
