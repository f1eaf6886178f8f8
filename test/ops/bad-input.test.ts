/**
 * `npm run ops` with bad input: each case exits 2 with one message naming the argument, what was
 * wrong and the fix, and changes nothing (the dead letters stay, no move task starts). Also:
 * `--help` on every command, the real process's exit codes, and a CloudFormation stack as the
 * target with only CloudFormation's DescribeStacks mocked (SQS is the embedded server).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, type DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import { ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';
import { QUEUE_OUTPUTS, pascalCase } from '../../model';
import type { ProvisionedQueue } from '../../local/provision';
import { OPS_COMMANDS } from '../../ops/commands';
import { provisionTestQueue, queueDepth, startTestServer, stopTestServer, type TestServer } from '../local/support';
import { deadLetter, jsonOf, localRunFolder, ops } from './support';

const root = path.join(__dirname, '..', '..');
let server: TestServer;
let queue: ProvisionedQueue;
let cwd: string;
const scratch: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  queue = await provisionTestQueue(server, { name: 'orders', maxReceiveCount: 1 });
  await deadLetter(server.client, queue, ['one', 'two']);
  cwd = localRunFolder([queue], server.sqs);
  scratch.push(cwd);
});

afterAll(async () => {
  await stopTestServer(server);
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
});

function emptyFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ops-empty-'));
  scratch.push(folder);
  return folder;
}

async function expectNothingChanged(): Promise<void> {
  expect(await queueDepth(server.client, queue.deadLetterQueueUrl)).toEqual({ visible: 2, inFlight: 0 });
  expect(await queueDepth(server.client, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  const { Results: tasks = [] } = await server.client.send(new ListMessageMoveTasksCommand({ SourceArn: queue.deadLetterQueueArn, MaxResults: 10 }));
  expect(tasks).toEqual([]);
}

describe('bad input: exit 2, a message naming the argument and the fix, nothing changed', () => {
  const name = () => queue.spec.name;
  const dlq = () => queue.spec.deadLetterQueueName;
  const cases: [string, () => string[], () => string | RegExp][] = [
    ['unknown queue', () => ['dlq', 'peek', 'ordrs'], () => new RegExp(`^ops dlq peek: <queue> "ordrs" is not a queue of the local run \\(.local/outputs.json, development\\); its queues are ${name()} \\(or full names such as ${queue.spec.queueName}, ${dlq()}\\)`)],
    ['missing queue argument', () => ['dlq', 'redrive'], () => `ops dlq redrive: <queue> is missing: name a queue of the local run (.local/outputs.json, development): ${name()}`],
    ['unknown environment', () => ['status', '--env', 'staging'], () => 'ops status: --env "staging" is not in'],
    ['redrive from a queue that is not a DLQ', () => ['dlq', 'redrive', queue.spec.queueName], () => `ops dlq redrive: <queue> "${queue.spec.queueName}" is the ${name()} queue itself, not a dead-letter queue; use "${name()}" (or ${dlq()}) for its DLQ`],
    ['--rate below AWS\'s range', () => ['dlq', 'redrive', name(), '--rate', '0'], () => 'ops dlq redrive: --rate must be a number between 1 and 500, but "0" was provided; e.g. --rate 10'],
    ['--rate above AWS\'s range', () => ['dlq', 'redrive', name(), '--rate', '501'], () => 'ops dlq redrive: --rate must be a number between 1 and 500, but "501" was provided; e.g. --rate 10'],
    ['--rate not a whole number', () => ['dlq', 'redrive', name(), '--rate', '2.5'], () => 'ops dlq redrive: --rate must be a whole number between 1 and 500, but "2.5" was provided; e.g. --rate 10'],
    ['unknown --to queue', () => ['dlq', 'redrive', name(), '--to', 'elsewhere'], () => 'ops dlq redrive: --to "elsewhere" is not a queue of the local run'],
    ['malformed --body', () => ['send', name(), '--type', 'OrderCreated', '--body', '{"orderId": o-1}'], () => /^ops send: --body is not valid JSON \(.+\); e\.g\. --body '\{"orderId":"o-1"\}'/],
    ['--body not an object', () => ['send', name(), '--type', 'OrderCreated', '--body', '[1, 2]'], () => 'ops send: --body must be a JSON object (an event payload or a whole envelope), but it is an array'],
    ['payload without --type', () => ['send', name(), '--body', '{"orderId":"o-1"}'], () => 'ops send: --type is needed to wrap the --body payload in an event envelope, e.g. --type OrderCreated'],
    ['neither --body nor --file', () => ['send', name()], () => 'ops send: the message is missing: give --body'],
    ['--max out of range', () => ['dlq', 'peek', name(), '--max', '0'], () => 'ops dlq peek: --max must be a number between 1 and 1000, but "0" was provided; e.g. --max 10'],
    ['unknown option', () => ['dlq', 'purge', name(), '--force'], () => 'ops dlq purge: unknown option --force; run "npm run ops -- dlq purge --help" for the list of options'],
    ['unknown command', () => ['drain'], () => 'ops: unknown command "drain"; the commands are status, dlq peek, dlq redrive, dlq cancel, dlq purge, send'],
    ['--stack with --outputs', () => ['status', '--stack', 'messaging', '--outputs', 'out.json'], () => 'ops status: --stack and --outputs were both given'],
  ];

  test.each(cases)('%s', async (_case, args, message) => {
    const run = await ops(cwd, args());
    expect(run.code).toBe(2);
    const expected = message();
    if (typeof expected === 'string') expect(run.stderr).toContain(expected);
    else expect(run.stderr).toMatch(expected);
    expect(run.stdout).toBe('');
    await expectNothingChanged();
  });

  test('missing or unreadable outputs file, and no local run to fall back on', async () => {
    const missing = await ops(cwd, ['status', '--outputs', 'deployed.json', '--env', 'production']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`ops status: --outputs: there is no file ${path.join(cwd, 'deployed.json')}; write it with "cdktf deploy <environment> --outputs-file`);

    writeFileSync(path.join(cwd, 'broken.json'), '{"production": ');
    const broken = await ops(cwd, ['status', '--outputs', 'broken.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/ops status: --outputs: .*broken\.json is not valid JSON/);

    const nowhere = await ops(emptyFolder(), ['status']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('ops status: no target: there is no .local/outputs.json here (start the local run with "npm start"), so say which deployment: --outputs <file> --env <environment> or --stack <name>');
    await expectNothingChanged();
  });

  test('an outputs file with several environments needs --env', async () => {
    const local = JSON.parse(require('node:fs').readFileSync(path.join(cwd, '.local', 'outputs.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(cwd, 'two.json'), JSON.stringify({ development: local.development, staging: local.development }));
    const run = await ops(cwd, ['status', '--outputs', 'two.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--env is needed: .*two\.json has the environments development, staging; e\.g\. --env development/);
    expect((await ops(cwd, ['status', '--outputs', 'two.json', '--env', 'staging'])).code).toBe(0);
  });
});

describe('a CloudFormation stack as the target (CloudFormation DescribeStacks mocked; SQS is the embedded server)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  /** A CloudFormation client whose DescribeStacks answers `answer`; nothing else may be called. */
  function cloudFormation(answer: () => Promise<Partial<DescribeStacksCommandOutput>>): () => CloudFormationClient {
    return () => {
      const client = new CloudFormationClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      jest.spyOn(client, 'send').mockImplementation(async (command: unknown) => {
        if (!(command instanceof DescribeStacksCommand)) throw new Error(`unexpected CloudFormation call ${String(command)}`);
        return answer();
      });
      return client;
    };
  }

  /** The stack's outputs as templates/messaging.yaml names them (`OrdersQueueUrl`, …). */
  function stackOutputs(): { OutputKey: string; OutputValue: string }[] {
    const values: Record<string, string> = { queue_url: queue.queueUrl, queue_arn: queue.queueArn, dlq_url: queue.deadLetterQueueUrl, dlq_arn: queue.deadLetterQueueArn };
    return QUEUE_OUTPUTS.filter((output) => output.what in values).map((output) => ({ OutputKey: pascalCase(`${queue.spec.name}_${output.what}`), OutputValue: values[output.what]! }));
  }

  test('status --stack reads the queues from the stack outputs and the environment from its Environment parameter', async () => {
    // The SDK's usual chain: credentials, region and (here) the SQS endpoint from the environment.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SQS: server.sqs.endpoint });
    const describeStacks = cloudFormation(async () => ({ Stacks: [{ StackName: 'messaging-dev', Outputs: stackOutputs(), Parameters: [{ ParameterKey: 'Environment', ParameterValue: 'development' }] }] as never }));
    const run = await ops(emptyFolder(), ['status', '--stack', 'messaging-dev', '--json'], { createCloudFormationClient: describeStacks });
    expect(run.code).toBe(0);
    const status = jsonOf<{ target: string; environment: string; queues: { name: string; deadLetterQueue: { visible: number } }[] }>(run);
    expect(status).toMatchObject({ target: 'CloudFormation stack messaging-dev (development)', environment: 'development' });
    expect(status.queues.map((entry) => [entry.name, entry.deadLetterQueue.visible])).toEqual([[queue.spec.name, 2]]);

    const mismatch = await ops(emptyFolder(), ['status', '--stack', 'messaging-dev', '--env', 'production'], { createCloudFormationClient: describeStacks });
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('ops status: --env "production" does not match stack "messaging-dev", which deploys the development environment');
  });

  test('an unknown stack exits 2 naming it', async () => {
    const missing = cloudFormation(async () => {
      throw Object.assign(new Error('Stack with id messaging-typo does not exist'), { name: 'ValidationError' });
    });
    const run = await ops(emptyFolder(), ['dlq', 'peek', 'orders', '--stack', 'messaging-typo'], { createCloudFormationClient: missing });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ops dlq peek: --stack "messaging-typo": Stack with id messaging-typo does not exist; check the stack name and the region');
    await expectNothingChanged();
  });
});

describe('--help and the real process', () => {
  test.each(OPS_COMMANDS.map((command) => [command.name, command] as const))('%s --help lists its arguments and options', async (_name, command) => {
    const run = await ops(emptyFolder(), [...command.name.split(' '), '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: npm run ops -- ${command.name}`);
    for (const flag of [...Object.values(command.flags).map((spec) => spec.usage), '--outputs <file>', '--env <environment>', '--stack <name>', '--json'])
      expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('Exit status: 0 done, 1 failed');
  });

  test('node ops/cli.ts (what npm run ops and the sqs-messaging-ops bin run): --help exits 0, bad input exits 2 before any request', () => {
    const command = [process.execPath, '--import', 'tsx', path.join(root, 'ops', 'cli.ts')];
    const folder = emptyFolder();
    // An outputs file whose endpoint nothing listens on: bad input must be caught before any request.
    writeFileSync(path.join(folder, 'out.json'), JSON.stringify({ development: { order_queue_url: 'u', order_queue_arn: 'arn:aws:sqs:us-east-1:0:q', order_dlq_url: 'u2', order_dlq_arn: 'arn:aws:sqs:us-east-1:0:d', sqs_endpoint: 'http://127.0.0.1:9' } }));
    const help = spawnSync(command[0]!, [...command.slice(1), '--help'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npm run ops -- <command>');
    const bad = spawnSync(command[0]!, [...command.slice(1), 'dlq', 'redrive', 'order', '--rate', '1000', '--outputs', path.join(folder, 'out.json')], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('ops dlq redrive: --rate must be a number between 1 and 500, but "1000" was provided; e.g. --rate 10');
    const none = spawnSync(command[0]!, command.slice(1), { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(none.status).toBe(2);
  });
});
