/**
 * Per-queue progress of a local pipeline. The counters are the mapping's own (what it received,
 * processed, retried and sent on to the DLQ), so they only ever grow and do not move when someone
 * else drains, purges or redrives a queue; `waiting` and `inFlight` are what SQS reports right now.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LocalPipeline } from './pipeline';

export interface QueueProgress {
  /** Logical queue name, e.g. `order`. */
  readonly queue: string;
  /** Visible or delayed on the queue now (SQS's count). */
  readonly waiting: number;
  /** Received and not yet deleted or returned, by anyone (SQS's count). */
  readonly inFlight: number;
  /** Distinct messages the consumer received (counted by the mapping: first receives). */
  readonly received: number;
  /** Deleted after the consumer succeeded (counted by the mapping). */
  readonly processed: number;
  /** Deliveries that failed and left the message for another attempt (counted by the mapping). */
  readonly retried: number;
  /** Failed on their last allowed receive, so SQS moves them to the DLQ (counted by the mapping). */
  readonly deadLettered: number;
}

/** Reads every queue's counts (one GetQueueAttributes each) and the mappings' counters. */
export async function readProgress(pipeline: LocalPipeline): Promise<QueueProgress[]> {
  const rows: QueueProgress[] = [];
  for (const queue of pipeline.queues) {
    const main = await counts(pipeline.client, queue.queueUrl);
    const stats = pipeline.consumers.find((consumer) => consumer.queue === queue)?.mapping.stats();
    rows.push({
      queue: queue.spec.name,
      waiting: main.visible + main.delayed,
      inFlight: main.inFlight,
      received: stats?.firstReceived ?? 0,
      processed: stats?.processed ?? 0,
      retried: stats?.failedAttempts ?? 0,
      deadLettered: stats?.deadLettered ?? 0,
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
