/**
 * Reads every message currently visible on a queue without consuming it: receive with a visibility
 * timeout long enough to see each message once, then make them all visible again. For the DLQ
 * summary of `npm start` and for tests; not for queues a consumer is polling at the same time.
 */
import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

export interface PeekOptions {
  /** Stop after this many messages. @default 10,000 */
  readonly limit?: number;
  /** Seconds the seen messages stay hidden while the peek runs. @default 30 */
  readonly holdSeconds?: number;
  /**
   * Long-poll wait of each receive, 0 – 20 s. Against AWS use at least 1: a short poll samples
   * only some of the servers and can answer empty while messages exist. @default 0
   */
  readonly waitTimeSeconds?: number;
}

export async function peekMessages(client: SQSClient, queueUrl: string, options: PeekOptions = {}): Promise<Message[]> {
  const limit = options.limit ?? 10_000;
  const seen: Message[] = [];
  try {
    while (seen.length < limit) {
      const response = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, limit - seen.length),
          WaitTimeSeconds: options.waitTimeSeconds ?? 0,
          VisibilityTimeout: options.holdSeconds ?? 30,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = response.Messages ?? [];
      if (messages.length === 0) break;
      seen.push(...messages);
    }
  } finally {
    for (let start = 0; start < seen.length; start += 10) {
      const chunk = seen.slice(start, start + 10);
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
  return seen;
}
