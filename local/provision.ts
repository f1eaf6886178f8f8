/**
 * Local provisioning: the graph's SQS queues created on the embedded SQS server, their attribute
 * maps passed to CreateQueue as they are (stringified, references filled in), each queue policy as
 * the queue's `Policy` attribute, and the idempotency table on the embedded DynamoDB server.
 * Idempotent: an existing queue or table (a persisted server, a second run) is brought to the graph
 * instead of failing.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { isCreated, type EnvironmentGraph, type ResolvedQueue, type SqsQueueNode } from '../model';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureIdempotencyTable } from './idempotency-table';
import { LocalReferences } from './local-references';
import { LOCAL_ACCOUNT_ID } from './sqs-client';

/** One provisioned queue/DLQ pair: its settings plus where it lives on the embedded server. */
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
  /** Region of the server's ARNs. */
  readonly region: string;
  /** A client of the embedded DynamoDB server, for the idempotency table. @default the table is not created */
  readonly dynamoDb?: DynamoDBClient;
}

export interface ProvisionedGraph {
  readonly queues: readonly ProvisionedQueue[];
  /** Every node's local attributes, for function environments and outputs. */
  readonly references: LocalReferences;
}

/**
 * Attributes that may only be given when a queue is created (AWS rejects changing them, and the
 * embedded server rejects them in SetQueueAttributes).
 */
const CREATE_ONLY_ATTRIBUTES: ReadonlySet<string> = new Set(['FifoQueue', 'DeduplicationScope', 'FifoThroughputLimit']);

/** Creates (or updates) every queue of the graph, in graph order (a DLQ before the queue naming it). */
export async function provisionGraph(client: SQSClient, graph: EnvironmentGraph, options: ProvisionOptions): Promise<ProvisionedGraph> {
  const references = new LocalReferences(graph, options.region);
  for (const node of graph.nodes) {
    if (!isCreated(node)) continue;
    if (node.type === 'sqs:queue') {
      const created = await ensureQueue(client, node, localQueueAttributes(node, references), options);
      references.set(node.id, { url: created.url, arn: created.arn, name: node.properties.QueueName });
    } else if (node.type === 'sqs:queue-policy') {
      const [queueUrl] = references.resolve(node.properties.Queues) as string[];
      const policy = JSON.stringify(references.resolve(node.properties.PolicyDocument));
      await client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: policy } }));
    } else if (node.type === 'dynamodb:table' && options.dynamoDb) {
      // The embedded server takes the key schema and TTL; encryption and backups are AWS's to keep.
      const table = await ensureIdempotencyTable(options.dynamoDb, {
        tableName: node.properties.TableName,
        partitionKey: node.properties.KeySchema[0]!.AttributeName,
        timeToLiveAttribute: node.properties.TimeToLiveSpecification.AttributeName,
      });
      references.set(node.id, { name: table.tableName, arn: table.tableArn });
    }
  }
  const queues = graph.pieces.queues.map(({ settings, nodes }) => ({
    spec: settings,
    queueUrl: references.read({ $ref: nodes.queue.id, $attribute: 'url' }),
    queueArn: references.read({ $ref: nodes.queue.id, $attribute: 'arn' }),
    deadLetterQueueUrl: references.read({ $ref: nodes.deadLetterQueue.id, $attribute: 'url' }),
    deadLetterQueueArn: references.read({ $ref: nodes.deadLetterQueue.id, $attribute: 'arn' }),
  }));
  return { queues, references };
}

/** A queue node's properties as the SQS API takes them: strings, JSON for the policies. */
export function localQueueAttributes(node: SqsQueueNode, references: LocalReferences): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(node.properties)) {
    if (name === 'QueueName' || value === undefined) continue;
    const resolved = references.resolve(value);
    attributes[name] = typeof resolved === 'object' ? JSON.stringify(resolved) : String(resolved);
  }
  return attributes;
}

/**
 * The queue's URL on the endpoint's own origin. The server answers with `sqs.<region>.localhost`
 * hosts, which do not resolve everywhere and make SDK v3 warn about (or follow) a host that differs
 * from the client's endpoint; a URL on the endpoint works with and without an explicit endpoint.
 */
export function localQueueUrl(endpoint: string, queueName: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${LOCAL_ACCOUNT_ID}/${queueName}`;
}

async function ensureQueue(client: SQSClient, node: SqsQueueNode, attributes: Record<string, string>, options: ProvisionOptions): Promise<{ url: string; arn: string }> {
  const name = node.properties.QueueName;
  const url = localQueueUrl(options.endpoint, name);
  if (await exists(client, name)) {
    // FIFO or not is in the name (`.fifo`), so an existing queue of this name is of the same kind.
    const settable = Object.fromEntries(Object.entries(attributes).filter(([key]) => !CREATE_ONLY_ATTRIBUTES.has(key)));
    await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: settable }));
    // Tags as the graph has them now: a tag removed from a profile goes from the persisted queue too.
    const current = (await client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
    const stale = Object.keys(current).filter((key) => !(key in (node.tags ?? {})));
    if (stale.length > 0) await client.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: stale }));
    if (node.tags) await client.send(new TagQueueCommand({ QueueUrl: url, Tags: { ...node.tags } }));
  } else {
    await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags: { ...node.tags } }));
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

