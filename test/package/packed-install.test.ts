/**
 * The package as another team installs it: `npm pack`, then the tarball and only the peer
 * dependencies the README names installed into a fresh project outside this repository (no
 * devDependencies there), and the README's "Use the constructs in your own stack" project — its
 * code blocks written to files exactly as printed — run with plain `node` (no TypeScript loader).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  name: string;
};
/** The peers every user installs; the optional ones only serve one subpath each. */
const requiredPeers = Object.entries(packageJson.peerDependencies).filter(([name]) => !packageJson.peerDependenciesMeta?.[name]?.optional);
/** The npm that runs this test (npm sets npm_execpath for scripts); the pinned node runs it. */
const npmCli = process.env.npm_execpath ?? require.resolve('npm/bin/npm-cli.js', { paths: [path.dirname(process.execPath)] });

/** The README section's code blocks, each named by its first-line comment (`// main.js — …`). */
function sectionFiles(): Record<string, string> {
  const section = readme.slice(readme.indexOf('## Use the constructs in your own stack'), readme.indexOf('## The Lambda services'));
  const files: Record<string, string> = {};
  for (const [, code] of section.matchAll(/```js\n([\s\S]*?)```/g)) {
    const name = /^\/\/ ([\w./-]+)/.exec(code!)?.[1];
    if (name) files[name] = code!;
  }
  return files;
}

const npm = (args: readonly string[], cwd: string) =>
  execFileSync(process.execPath, [npmCli, ...args], { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 170_000, env: { ...process.env, npm_config_update_notifier: 'false' } });

let scratch: string;
let synthesized: { resource: Record<string, Record<string, Record<string, unknown>>> };

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'sqs-messaging-package-'));
  npm(['pack', '--pack-destination', scratch, '--silent'], root);
  const tarball = readdirSync(scratch).find((file) => file.endsWith('.tgz'))!;
  const project = path.join(scratch, 'payments-app');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'payments-app', private: true }));
  const peers = requiredPeers.map(([name, range]) => `${name}@${range}`);
  npm(['install', path.join(scratch, tarball), ...peers, '--prefer-offline', '--no-audit', '--no-fund'], project);
  for (const [file, code] of Object.entries(sectionFiles())) {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), code);
  }
  execFileSync(process.execPath, ['main.js'], { cwd: project, stdio: 'pipe', timeout: 60_000 });
  synthesized = JSON.parse(readFileSync(path.join(project, 'cdktf.out', 'stacks', 'payments', 'cdk.tf.json'), 'utf8'));
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('the README names every peer dependency with the tested range, and the section has both files', () => {
  for (const [name, range] of requiredPeers) expect(readme).toContain(`${name}@${range}`);
  expect(Object.keys(sectionFiles()).sort()).toEqual(['main.js', 'src/worker.js']);
});

it('installs without this repository: only the tarball and the peers, no devDependencies', () => {
  const installed = readdirSync(path.join(scratch, 'payments-app', 'node_modules'));
  expect(installed).toEqual(expect.arrayContaining(['cdktf', 'constructs', 'esbuild', 'fflate', packageJson.name]));
  for (const devOnly of ['jest', 'typescript', 'tsx', 'fauxqs']) expect(installed).not.toContain(devOnly);
  // The package ships compiled JavaScript and declarations, and no source maps or tests.
  const shipped = path.join(scratch, 'payments-app', 'node_modules', packageJson.name);
  expect(existsSync(path.join(shipped, 'dist', 'constructs', 'index.d.ts'))).toBe(true);
  expect(existsSync(path.join(shipped, 'test'))).toBe(false);
});

it('synthesizes the standalone FIFO pair with the scope in every name', () => {
  const queues = Object.values(synthesized.resource.aws_sqs_queue!);
  expect(queues.map((queue) => queue.name).sort()).toEqual(['payments-staging-charges-dlq.fifo', 'payments-staging-charges-queue.fifo']);
  expect(queues.find((queue) => queue.name === 'payments-staging-charges-queue.fifo')).toMatchObject({
    fifo_queue: true,
    deduplication_scope: 'messageGroup',
    fifo_throughput_limit: 'perMessageGroupId',
    visibility_timeout_seconds: 120,
    tags: expect.objectContaining({ Team: 'payments', Environment: 'staging' }),
  });
});

it('synthesizes the three alarms to the team\'s topic and the consumer of its own handler file', () => {
  const alarms = Object.values(synthesized.resource.aws_cloudwatch_metric_alarm!);
  expect(alarms).toHaveLength(3);
  for (const alarm of alarms) expect(alarm.alarm_actions).toEqual(['arn:aws:sns:eu-west-1:123456789012:payments-oncall']);
  const [fn] = Object.values(synthesized.resource.aws_lambda_function!);
  expect(fn).toMatchObject({ function_name: 'payments-staging-charges-worker', runtime: 'nodejs24.x', handler: 'index.handler', timeout: 20 });
  expect(Object.values(synthesized.resource.aws_lambda_event_source_mapping!)[0]).toMatchObject({ batch_size: 10, function_response_types: ['ReportBatchItemFailures'] });
  // The handler was bundled in the team's project and zipped into the synthesized assets.
  expect(existsSync(path.join(scratch, 'payments-app', 'cdktf.out', 'stacks', 'payments', String(fn!.filename)))).toBe(true);
});

it('links the sqs-messaging-ops bin, which runs on the installed dependencies alone', () => {
  const project = path.join(scratch, 'payments-app');
  const bin = path.join(project, 'node_modules', '.bin', 'sqs-messaging-ops');
  expect(execFileSync(bin, ['--help'], { cwd: project, encoding: 'utf8' })).toContain('dlq redrive <queue>');
  // A real command, as far as it goes without a deployment: every module it needs loads, the
  // outputs file is read, and the queue name is checked against it (exit 2, nothing sent).
  const outputs = path.join(project, 'outputs.json');
  writeFileSync(outputs, JSON.stringify({ staging: { charges_queue_url: 'http://127.0.0.1:9/000000000000/staging-charges-queue', charges_queue_arn: 'arn:aws:sqs:eu-west-1:000000000000:staging-charges-queue', charges_dlq_url: 'http://127.0.0.1:9/000000000000/staging-charges-dlq', charges_dlq_arn: 'arn:aws:sqs:eu-west-1:000000000000:staging-charges-dlq' } }));
  const run = spawnSync(bin, ['dlq', 'peek', 'refunds', '--outputs', outputs, '--env', 'staging'], { cwd: project, encoding: 'utf8' });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 2, stderr: expect.stringContaining('"refunds" is not a queue of') });
});

it('loads loadQueueEndpoints on its subpath: a local outputs file without the optional SSM client, and a clear error when SSM is asked for', () => {
  const project = path.join(scratch, 'payments-app');
  const outputs = path.join(project, 'local-outputs.json');
  const queue = (kind: string) => `http://127.0.0.1:9/000000000000/payments-staging-charges-${kind}.fifo`;
  writeFileSync(
    outputs,
    JSON.stringify({
      'payments-staging': {
        charges_queue_url: queue('queue'),
        charges_queue_arn: 'arn:aws:sqs:us-east-1:000000000000:payments-staging-charges-queue.fifo',
        charges_dlq_url: queue('dlq'),
        charges_dlq_arn: 'arn:aws:sqs:us-east-1:000000000000:payments-staging-charges-dlq.fifo',
      },
    }),
  );
  const probe = `const { loadQueueEndpoints } = require('${packageJson.name}/endpoints');
    (async () => {
      const local = await loadQueueEndpoints({ environment: 'staging', scope: 'payments', local: ${JSON.stringify(outputs)}, queues: ['charges'] });
      const ssm = await loadQueueEndpoints({ environment: 'staging' }).then(() => 'no error', (error) => error.message);
      console.log(JSON.stringify({ url: local.charges.queueUrl, ssm }));
    })();`;
  const result = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: project, encoding: 'utf8', env: { ...process.env, SQS_MESSAGING_OUTPUTS: '' } })) as { url: string; ssm: string };
  expect(result).toEqual({
    url: queue('queue'),
    ssm: 'loadQueueEndpoints: reading SSM needs @aws-sdk/client-ssm; install it (npm install @aws-sdk/client-ssm), or pass `local` to read a local run',
  });
});

it('loads the model on its subpath, and keeps the model out of the root export', () => {
  const project = path.join(scratch, 'payments-app');
  const probe = `const root = require('${packageJson.name}'); const model = require('${packageJson.name}/model');
    console.log(JSON.stringify({ root: Object.keys(root).sort(), model: typeof model.buildGraph }));`;
  const result = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: project, encoding: 'utf8' })) as { root: string[]; model: string };
  expect(result.model).toBe('function');
  expect(result.root).toEqual(['BundledFunction', 'FunctionAlarms', 'MessagingEnvironment', 'QueueAlarms', 'QueueConsumer', 'QueuePair', 'SpecValidationError', 'addAwsProvider']);
});
