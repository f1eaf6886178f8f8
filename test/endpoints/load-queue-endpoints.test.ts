/**
 * `loadQueueEndpoints` on its two sources. SSM Parameter Store cannot run here, so its tests give
 * the function a stand-in client that answers GetParametersByPath from the parameter names the model
 * publishes (said in each test's name); the local source reads a real outputs file written by the
 * local run's own writer. The end-to-end use against a running local environment is in
 * test/local/app-env.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { loadQueueEndpoints, LOCAL_OUTPUTS_VARIABLE, type ParameterReader } from '../../endpoints';
import { buildGraph, type ParameterNode } from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';

/** The parameters production publishes, with the values a deploy would give them. */
function deployedParameters(environment: string): { Name: string; Value: string }[] {
  const graph = buildGraph(topology, environments, environment);
  return graph.nodes
    .filter((node): node is ParameterNode => node.type === 'ssm:parameter' && 'properties' in node)
    .map((node) => {
      const [queue, what] = node.properties.Name.split('/').slice(-2) as [string, string];
      const name = `${environment}-${queue}-${what.startsWith('dlq') ? 'dlq' : 'queue'}`;
      const value = what.endsWith('url') ? `https://sqs.eu-west-1.amazonaws.com/123456789012/${name}` : `arn:aws:sqs:eu-west-1:123456789012:${name}`;
      return { Name: node.properties.Name, Value: value };
    });
}

/** A stand-in for SSM: GetParametersByPath over `parameters`, `pageSize` per page; records each request. */
function fakeSsm(parameters: readonly { Name: string; Value: string }[], pageSize = 10): ParameterReader & { requests: { Path?: string; NextToken?: string }[] } {
  const requests: { Path?: string; NextToken?: string }[] = [];
  return {
    requests,
    async send(command: unknown) {
      if (!(command instanceof GetParametersByPathCommand)) throw new Error(`unexpected SSM call ${String(command)}`);
      const { Path, NextToken, Recursive } = command.input;
      requests.push({ Path, NextToken });
      if (!Recursive) throw new Error('expected a recursive read');
      const under = parameters.filter((parameter) => parameter.Name.startsWith(`${Path}/`));
      const start = NextToken ? Number(NextToken) : 0;
      const page = under.slice(start, start + pageSize);
      return { Parameters: page, ...(start + pageSize < under.length ? { NextToken: String(start + pageSize) } : {}) };
    },
  };
}

describe('from SSM Parameter Store (SSM mocked: it cannot run here)', () => {
  it('reads every page under /<environment>/messaging and returns each queue\'s endpoints by logical name', async () => {
    const ssm = fakeSsm(deployedParameters('production'), 5);
    const endpoints = await loadQueueEndpoints({ environment: 'production', queues: ['order', 'notification'], ssm });
    expect(endpoints.order).toEqual({
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/production-order-queue',
      queueArn: 'arn:aws:sqs:eu-west-1:123456789012:production-order-queue',
      deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/production-order-dlq',
      deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:production-order-dlq',
    });
    expect(Object.keys(endpoints)).toEqual(['order', 'notification']);
    // 12 parameters, 5 a page: three requests, each on the same path.
    expect(ssm.requests).toEqual([{ Path: '/production/messaging' }, { Path: '/production/messaging', NextToken: '5' }, { Path: '/production/messaging', NextToken: '10' }]);
  });

  it('returns every queue found when none is named, and reads the scope\'s or the profile\'s path', async () => {
    const scoped = deployedParameters('staging').map((parameter) => ({ ...parameter, Name: parameter.Name.replace('/staging/', '/payments/staging/') }));
    expect(Object.keys(await loadQueueEndpoints({ environment: 'staging', scope: 'payments', ssm: fakeSsm(scoped) })).sort()).toEqual(['inventory', 'notification', 'order']);
    const custom = deployedParameters('staging').map((parameter) => ({ ...parameter, Name: parameter.Name.replace('/staging/messaging', '/shared/queues') }));
    expect(Object.keys(await loadQueueEndpoints({ environment: 'staging', path: '/shared/queues', ssm: fakeSsm(custom) })).sort()).toEqual(['inventory', 'notification', 'order']);
  });

  it('names a missing queue, what it found and where it looked', async () => {
    await expect(loadQueueEndpoints({ environment: 'production', queues: ['orders'], ssm: fakeSsm(deployedParameters('production')) })).rejects.toThrow(
      'loadQueueEndpoints: no queue "orders" in SSM Parameter Store under /production/messaging (found: order, inventory, notification); check the queue name, the environment "production", the path and that the stack is deployed',
    );
  });

  it('says which policy to attach when the app\'s role may not read the path', async () => {
    const denied: ParameterReader = {
      send: async () => {
        throw Object.assign(new Error('User is not authorized to perform: ssm:GetParametersByPath'), { name: 'AccessDeniedException' });
      },
    };
    await expect(loadQueueEndpoints({ environment: 'production', ssm: denied })).rejects.toThrow(
      "loadQueueEndpoints: not allowed to read /production/messaging (User is not authorized to perform: ssm:GetParametersByPath); attach the environment's endpoints_read_policy_arn to the app's role",
    );
  });
});

describe('from a local run\'s outputs file', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(os.tmpdir(), 'endpoints-'))));
  afterEach(() => {
    delete process.env[LOCAL_OUTPUTS_VARIABLE];
    rmSync(folder, { recursive: true, force: true });
  });

  const writeOutputs = (values: Record<string, string>) => {
    const file = path.join(folder, 'outputs.json');
    writeFileSync(file, JSON.stringify({ development: values }));
    return file;
  };
  const local = (queue: string, kind: 'queue' | 'dlq') => `http://127.0.0.1:4566/000000000000/development-${queue}-${kind}`;
  const pairOutputs = (queue: string) => ({
    [`${queue.replace(/-/g, '_')}_queue_url`]: local(queue, 'queue'),
    [`${queue.replace(/-/g, '_')}_queue_arn`]: `arn:aws:sqs:us-east-1:000000000000:development-${queue}-queue`,
    [`${queue.replace(/-/g, '_')}_dlq_url`]: local(queue, 'dlq'),
    [`${queue.replace(/-/g, '_')}_dlq_arn`]: `arn:aws:sqs:us-east-1:000000000000:development-${queue}-dlq`,
  });

  it('reads the file named by SQS_MESSAGING_OUTPUTS (what .local/env sets), keeping names the output keys lose', async () => {
    process.env[LOCAL_OUTPUTS_VARIABLE] = writeOutputs({ ...pairOutputs('order'), ...pairOutputs('order-v2'), sqs_endpoint: 'http://127.0.0.1:4566', region: 'us-east-1' });
    const endpoints = await loadQueueEndpoints({ environment: 'development' });
    expect(Object.keys(endpoints).sort()).toEqual(['order', 'order-v2']);
    expect(endpoints['order-v2']!.deadLetterQueueUrl).toBe(local('order-v2', 'dlq'));
  });

  it('prefers the local option, and says what is wrong with a missing file or environment', async () => {
    const file = writeOutputs(pairOutputs('order'));
    expect((await loadQueueEndpoints({ environment: 'development', local: file, queues: ['order'] })).order.queueUrl).toBe(local('order', 'queue'));
    await expect(loadQueueEndpoints({ environment: 'staging', local: file })).rejects.toThrow(`loadQueueEndpoints: ${file} has no outputs for "staging" (it has development); check the environment and scope`);
    await expect(loadQueueEndpoints({ environment: 'development', local: path.join(folder, 'absent.json') })).rejects.toThrow(/cannot read the local outputs file .*absent\.json .*start the local run \(npm start\) or fix the path/);
  });
});

describe('bad options name the field, the value and the fix', () => {
  it.each([
    [{ environment: 'Production' }, 'loadQueueEndpoints: environment must be an environment name (lowercase letters, digits and -), but "Production" was provided; e.g. environment: "production"'],
    [{ environment: 'production', path: 'production/messaging' }, 'loadQueueEndpoints: path must be an SSM path such as "/payments/production/messaging", but "production/messaging" was provided'],
    [{ environment: 'production', queues: 'order' }, 'loadQueueEndpoints: queues must be a list of logical queue names, but "order" was provided; e.g. queues: ["order", "inventory"]'],
    [{ environment: 'production', scope: 42 }, 'loadQueueEndpoints: scope must be the profile\'s scope (lowercase letters, digits and -), but 42 was provided'],
  ])('%j', async (options, message) => {
    await expect(loadQueueEndpoints(options as never)).rejects.toThrow(message);
  });
});
