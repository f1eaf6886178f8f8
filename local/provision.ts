/**
 * Local provisioning: creates the resolved environment's queue/DLQ pairs on the embedded server with
 * the same names, attributes and redrive as the deployed stacks. Idempotent: an existing queue (a
 * persisted server, a second run) is brought to the spec's attributes instead of failing.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ResolvedQueue } from '../constructs/spec';
import { LOCAL_ACCOUNT_ID } from './sqs-client';
import { CREATE_ONLY_ATTRIBUTES, deadLetterQueueAttributes, mainQueueAttributes, type QueueAttributes } from './queue-attributes';

/** One provisioned queue/DLQ pair: the spec plus where it lives on the embedded server. */
export interface ProvisionedQueue {
  readonly spec: ResolvedQueue;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
}

export interface ProvisionOptions {
  /** The embedded server's endpoint (`http://127.0.0.1:<port>`); queue URLs are built on it. */
  readonly endpoint: string;
}

/** Creates (or updates) every pair, DLQ first so the main queue's redrive policy can name it. */
export async function provisionQueues(
  client: SQSClient,
  queues: readonly ResolvedQueue[],
  options: ProvisionOptions,
): Promise<ProvisionedQueue[]> {
  const provisioned: ProvisionedQueue[] = [];
  for (const queue of queues) {
    // The redrive-allow policy needs the source ARN, which is only known once the source exists:
    // create the DLQ, then the queue, then attach the policy (the order Terraform applies them in).
    const dlqWithoutAllowPolicy = withoutKey(deadLetterQueueAttributes(queue, ''), 'RedriveAllowPolicy');
    const dlq = await ensureQueue(client, queue.deadLetterQueueName, dlqWithoutAllowPolicy, queue.tags, options);
    const main = await ensureQueue(client, queue.queueName, mainQueueAttributes(queue, dlq.arn), queue.tags, options);
    const allow = deadLetterQueueAttributes(queue, main.arn).RedriveAllowPolicy!;
    await client.send(new SetQueueAttributesCommand({ QueueUrl: dlq.url, Attributes: { RedriveAllowPolicy: allow } }));
    provisioned.push({
      spec: queue,
      queueUrl: main.url,
      queueArn: main.arn,
      deadLetterQueueUrl: dlq.url,
      deadLetterQueueArn: dlq.arn,
    });
  }
  return provisioned;
}

/**
 * The queue's URL on the endpoint's own origin. The server answers with `sqs.<region>.localhost`
 * hosts, which do not resolve everywhere and make SDK v3 warn about (or follow) a host that differs
 * from the client's endpoint; a URL on the endpoint works with and without an explicit endpoint.
 */
export function localQueueUrl(endpoint: string, queueName: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${LOCAL_ACCOUNT_ID}/${queueName}`;
}

async function ensureQueue(
  client: SQSClient,
  name: string,
  attributes: QueueAttributes,
  tags: Readonly<Record<string, string>>,
  options: ProvisionOptions,
): Promise<{ url: string; arn: string }> {
  const url = localQueueUrl(options.endpoint, name);
  if (await exists(client, name)) {
    const current = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['FifoQueue'] }));
    const isFifo = current.Attributes?.FifoQueue === 'true';
    if (isFifo !== (attributes.FifoQueue === 'true')) {
      throw new Error(
        `queue "${name}" already exists on the local server as a ${isFifo ? 'FIFO' : 'standard'} queue, but the spec wants a ` +
          `${isFifo ? 'standard' : 'FIFO'} queue; delete the persisted data (the --data-dir folder) and start again`,
      );
    }
    const settable = Object.fromEntries(Object.entries(attributes).filter(([key]) => !CREATE_ONLY_ATTRIBUTES.has(key)));
    await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: settable }));
  } else {
    await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags: { ...tags } }));
  }
  const arn = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const queueArn = arn.Attributes?.QueueArn;
  if (!queueArn) throw new Error(`the local server returned no QueueArn for "${name}"`);
  return { url, arn: queueArn };
}

async function exists(client: SQSClient, name: string): Promise<boolean> {
  try {
    await client.send(new GetQueueUrlCommand({ QueueName: name }));
    return true;
  } catch (error) {
    if (error instanceof QueueDoesNotExist || (error as { name?: string }).name === 'QueueDoesNotExist') return false;
    if ((error as { name?: string }).name === 'AWS.SimpleQueueService.NonExistentQueue') return false;
    throw error;
  }
}

function withoutKey(attributes: QueueAttributes, key: string): QueueAttributes {
  const { [key]: _omitted, ...rest } = attributes;
  return rest;
}
