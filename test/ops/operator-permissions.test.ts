/**
 * The permissions ops declares per command (ops/operator-permissions.ts, what the operator policy
 * is built from) are exactly the SDK commands its code paths send: every command runs against the
 * embedded server with SQSClient.send observed (called through, not mocked), and the actions of the
 * commands it sent must equal the actions it declares as sent by ops. So the list cannot go stale.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ProvisionedQueue } from '../../local/provision';
import { allOperatorPermissions, OPERATOR_PERMISSIONS, STACK_TARGET_PERMISSIONS } from '../../ops';
import { sqsAction } from '../../ops/permissions';
import { provisionTestQueue, startTestServer, stopTestServer, waitFor, type TestServer } from '../local/support';
import { deadLetter, drain, latestTask, localRunFolder, ops } from './support';

let server: TestServer;
let queue: ProvisionedQueue;
let cwd: string;

beforeAll(async () => {
  server = await startTestServer();
  queue = await provisionTestQueue(server, { name: 'audited', maxReceiveCount: 1 });
  cwd = localRunFolder([queue], server.sqs);
});

afterAll(async () => {
  await stopTestServer(server);
});

/** Runs ops and returns the IAM actions of the SQS commands it sent. */
async function actionsSentBy(args: string[]): Promise<string[]> {
  const send = jest.spyOn(SQSClient.prototype, 'send');
  try {
    const run = await ops(cwd, args);
    expect(run.code).toBe(0);
    return [...new Set(send.mock.calls.map(([command]) => sqsAction((command as object).constructor)))].sort();
  } finally {
    send.mockRestore();
  }
}

function declared(command: string): string[] {
  return [...new Set(OPERATOR_PERMISSIONS[command]!.filter((permission) => permission.sentByOps).map((permission) => permission.action))].sort();
}

test('every command sends exactly the SQS actions it declares', async () => {
  const name = queue.spec.name;
  await deadLetter(server.client, queue, ['a', 'b', 'c']);
  const sent: Record<string, string[]> = {
    status: await actionsSentBy(['status']),
    'dlq peek': await actionsSentBy(['dlq', 'peek', name]),
    'dlq redrive': await actionsSentBy(['dlq', 'redrive', name, '--wait']),
    send: await actionsSentBy(['send', name, '--type', 'Audit', '--body', '{"n":1}']),
  };
  await drain(server.client, queue.queueUrl);
  await deadLetter(server.client, queue, ['d', 'e', 'f', 'g']);
  expect((await ops(cwd, ['dlq', 'redrive', name, '--rate', '1'])).code).toBe(0);
  sent['dlq cancel'] = await actionsSentBy(['dlq', 'cancel', name]);
  await waitFor('the cancelled task settled', async () => (await latestTask(server.client, queue.deadLetterQueueArn)).latest?.Status === 'CANCELLED', 10_000);
  sent['dlq purge'] = await actionsSentBy(['dlq', 'purge', name, '--yes']);

  expect(Object.keys(sent).sort()).toEqual(Object.keys(OPERATOR_PERMISSIONS).sort());
  for (const [command, actions] of Object.entries(sent)) expect({ command, actions }).toEqual({ command, actions: declared(command) });
});

test("redrive also lists what SQS checks on the caller's behalf: receive and delete on the DLQ, send to the destination", () => {
  expect(OPERATOR_PERMISSIONS['dlq redrive']!.filter((permission) => !permission.sentByOps).map(({ action, on }) => `${action} on ${on}`)).toEqual([
    'sqs:ReceiveMessage on dead-letter-queue',
    'sqs:DeleteMessage on dead-letter-queue',
    'sqs:SendMessage on redrive-destination',
    'sqs:GetQueueAttributes on redrive-destination',
  ]);
  expect(STACK_TARGET_PERMISSIONS.map(({ action, on }) => `${action} on ${on}`)).toEqual(['cloudformation:DescribeStacks on stack']);
  // No wildcard action, and every action scoped to one kind of resource of the environment.
  for (const permission of allOperatorPermissions()) expect(permission.action).toMatch(/^(sqs|cloudformation):[A-Z][A-Za-z]+$/);
});
