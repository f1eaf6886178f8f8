/** Queues on the embedded SQS server for the Lambda tests: a client, queue creation, draining. */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { createLocalSqsClient, localQueueArn } from '../../local/sqs-client';
import type { LocalSqs } from '../../local/sqs-server';

/**
 * A client for `endpoint` (the server or a fault proxy in front of it) that makes each request
 * once, so a test sees exactly the failures the proxy injects and the retries the code under test makes.
 */
export function testSqsClient(endpoint: string, region: string): SQSClient {
  return createLocalSqsClient(endpoint, region, { maxAttempts: 1 });
}

/** A queue created for a test. */
export interface TestQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

let queueCounter = 0;

/** Creates a uniquely named queue (`<prefix>-<n>`, `.fifo` when `fifo`) accepting 1 MiB messages. */
export async function createTestQueue(client: SQSClient, sqs: LocalSqs, prefix: string, fifo = false): Promise<TestQueue> {
  const name = `${prefix}-${++queueCounter}${fifo ? '.fifo' : ''}`;
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { MaximumMessageSize: '1048576', ...(fifo ? { FifoQueue: 'true' } : {}) },
    }),
  );
  return { name, url: QueueUrl!, arn: localQueueArn(sqs.region, name) };
}

/**
 * Receives (and deletes, so FIFO groups unlock) until `expected` messages arrived or `timeoutMs`
 * passed, then returns what it has; waits a further `settleMs` for unexpected extras
 * (duplicates) once the count is reached.
 */
export async function receiveMessages(
  client: SQSClient,
  queueUrl: string,
  expected: number,
  { timeoutMs = 5_000, settleMs = 300 }: { timeoutMs?: number; settleMs?: number } = {},
): Promise<Message[]> {
  const received: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  let settleUntil: number | undefined;
  while (Date.now() < (settleUntil ?? deadline)) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    received.push(...Messages);
    if (Messages.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
    }
    if (received.length >= expected && settleUntil === undefined) settleUntil = Date.now() + settleMs;
    if (Messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return received;
}
