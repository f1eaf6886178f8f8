/**
 * The DLQ redrive actions of the embedded server as the AWS SDK sees them, in both storage modes:
 * `ListDeadLetterSourceQueues` (with paging), a redrive without a destination sending each message
 * back to the queue it was dead-lettered from (also after a restart on the same data dir), and
 * AWS's error names and HTTP statuses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateQueueCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createLocalSqsClient, localQueueArn } from '../../local/sqs-client';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';
import { drain } from '../ops/support';
import { queueDepth, waitFor } from './support';

describe.each([
  ['in memory', false],
  ['with a data dir', true],
])('move task actions, %s', (_mode, persist) => {
  let dataDir: string | undefined;
  let sqs: LocalSqs;
  let client: SQSClient;
  const url = (name: string) => `${sqs.endpoint}/000000000000/${name}`;
  const arn = (name: string) => localQueueArn(sqs.region, name);

  async function start(port = 0): Promise<void> {
    sqs = await startLocalSqs({ port, ...(dataDir ? { dataDir } : {}) });
    client = createLocalSqsClient(sqs.endpoint, sqs.region, { maxAttempts: 1 });
  }

  async function stop(): Promise<void> {
    client?.destroy();
    await sqs?.stop();
  }

  beforeAll(async () => {
    dataDir = persist ? mkdtempSync(path.join(os.tmpdir(), 'move-tasks-')) : undefined;
    await start();
    // One DLQ shared by two source queues (its redrive-allow policy permits both by default).
    await client.send(new CreateQueueCommand({ QueueName: 'shared-dlq' }));
    for (const source of ['alpha', 'beta']) {
      await client.send(new CreateQueueCommand({ QueueName: source, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('shared-dlq'), maxReceiveCount: 1 }) } }));
    }
  });

  afterAll(async () => {
    await stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('ListDeadLetterSourceQueues names the sources, pages with MaxResults and NextToken', async () => {
    const all = await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: url('shared-dlq') }));
    expect(all.queueUrls?.map((queueUrl) => queueUrl.split('/').pop())).toEqual(['alpha', 'beta']);
    expect(all.NextToken).toBeUndefined();
    const first = await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: url('shared-dlq'), MaxResults: 1 }));
    expect(first.queueUrls?.map((queueUrl) => queueUrl.split('/').pop())).toEqual(['alpha']);
    const second = await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: url('shared-dlq'), MaxResults: 1, NextToken: first.NextToken }));
    expect(second.queueUrls?.map((queueUrl) => queueUrl.split('/').pop())).toEqual(['beta']);
    expect(second.NextToken).toBeUndefined();
    expect((await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: url('alpha') }))).queueUrls).toEqual([]);
  });

  test('without a destination, each message goes back to the queue it was dead-lettered from (a restart in between included)', async () => {
    for (const source of ['alpha', 'beta']) {
      for (const n of [1, 2]) await client.send(new SendMessageCommand({ QueueUrl: url(source), MessageBody: `${source}-${n}` }));
      await waitFor(`${source}'s messages in the DLQ`, async () => {
        await client.send(new ReceiveMessageCommand({ QueueUrl: url(source), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
        return (await queueDepth(client, url(source))).visible === 0 && (await queueDepth(client, url('shared-dlq'))).visible === (source === 'alpha' ? 2 : 4);
      }, 10_000);
    }
    if (persist) {
      // Where each dead letter came from is kept with the messages.
      const port = sqs.port;
      await stop();
      await start(port);
    }
    await client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('shared-dlq') }));
    await waitFor('the move to finish', async () => (await client.send(new ListMessageMoveTasksCommand({ SourceArn: arn('shared-dlq') }))).Results?.[0]?.Status === 'COMPLETED', 10_000);
    expect((await drain(client, url('alpha'))).map((message) => message.Body).sort()).toEqual(['alpha-1', 'alpha-2']);
    expect((await drain(client, url('beta'))).map((message) => message.Body).sort()).toEqual(['beta-1', 'beta-2']);
  });

  test.each([
    ['a queue that is not a DLQ', 'InvalidParameterValue', 400, 'Source queue must be configured as a Dead Letter Queue.', () => ({ SourceArn: arn('alpha') })],
    ['an unknown source', 'ResourceNotFoundException', 404, "The resource that you specified for the SourceArn parameter doesn't exist.", () => ({ SourceArn: arn('nope') })],
    ['an unknown destination', 'ResourceNotFoundException', 404, "The resource that you specified for the DestinationArn parameter doesn't exist.", () => ({ SourceArn: arn('shared-dlq'), DestinationArn: arn('nope') })],
    ['a rate above 500', 'InvalidParameterValue', 400, 'Value 501 for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.', () => ({ SourceArn: arn('shared-dlq'), MaxNumberOfMessagesPerSecond: 501 })],
  ])('StartMessageMoveTask with %s: the SDK sees %s (%i)', async (_case, name, status, message, input) => {
    const error = await client.send(new StartMessageMoveTaskCommand(input())).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name, message, $metadata: { httpStatusCode: status } });
  });
});
