/**
 * The package as another team installs it: `npm pack`, then the tarball and only the peer
 * dependencies the README names installed into a fresh project outside this repository (no
 * devDependencies there), and the README's "Use the constructs in your own stack" project — its
 * code blocks written to files exactly as printed — run with plain `node` (no TypeScript loader).
 * Then the same team adds the local emulator as the README's "Run your own handlers locally" says:
 * without its optional peers `startLocalEnvironment` names what to install; with them (the README's
 * install line), the README's test of its own handler runs with `node --test`, on the scripts the
 * package ships, and leaves no process behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processScripts } from '../../local/build-process-scripts';
import { LOCAL_MODE_PACKAGES } from '../../local/runtime-requirements';
import { processesMentioning, waitFor } from '../local/support';
import { spawnCaptured } from '../support/captured-process';

const root = path.resolve(__dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
/** The peers a construct-only project installs, and the optional ones, as `name@range`. */
const [requiredPeers, optionalPeers] = [false, true].map((optional) =>
  Object.entries(packageJson.peerDependencies)
    .filter(([name]) => (packageJson.peerDependenciesMeta[name]?.optional ?? false) === optional)
    .map(([name, range]) => `${name}@${range}`),
) as [string[], string[]];
/** The optional peers local mode needs (the others serve other subpaths: @aws-sdk/client-ssm is loadQueueEndpoints'). */
const localPeers = optionalPeers.filter((peer) => peer.slice(0, peer.lastIndexOf('@')) in LOCAL_MODE_PACKAGES);
/** The npm that runs this test (npm sets npm_execpath for scripts); the pinned node runs it. */
const npmCli = process.env.npm_execpath ?? require.resolve('npm/bin/npm-cli.js', { paths: [path.dirname(process.execPath)] });

const CONSTRUCTS_SECTION = ['## Use the constructs in your own stack', '## The Lambda services'] as const;
const LOCAL_SECTION = ['### Run your own handlers locally (from your tests)', '## Operating'] as const;

function sectionOf([from, to]: readonly [string, string]): string {
  return readme.slice(readme.indexOf(from), readme.indexOf(to));
}

/** A README section's code blocks, each named by its first-line comment (`// main.js — …`). */
function sectionFiles(section: readonly [string, string]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [, code] of sectionOf(section).matchAll(/```js\n([\s\S]*?)```/g)) {
    const name = /^\/\/ ([\w./-]+)/.exec(code!)?.[1];
    if (name) files[name] = code!;
  }
  return files;
}

/** The `npm install …` line of a README section's shell block, as npm's arguments. */
function installArguments(section: readonly [string, string]): string[] {
  const line = /```sh\n(npm install [^\n]+)\n/.exec(sectionOf(section))?.[1];
  if (!line) throw new Error(`no npm install line in the README section ${section[0]}`);
  return line.split(/\s+/).slice(1);
}

function writeFiles(project: string, files: Record<string, string>): void {
  for (const [file, code] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), code);
  }
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
  npm(['install', path.join(scratch, tarball), ...requiredPeers, '--prefer-offline', '--no-audit', '--no-fund'], project);
  writeFiles(project, sectionFiles(CONSTRUCTS_SECTION));
  execFileSync(process.execPath, ['main.js'], { cwd: project, stdio: 'pipe', timeout: 60_000 });
  synthesized = JSON.parse(readFileSync(path.join(project, 'cdktf.out', 'stacks', 'payments', 'cdk.tf.json'), 'utf8'));
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('the README names every peer dependency with the tested range, where it is needed, and each section has its files', () => {
  expect(requiredPeers).toEqual(['cdktf@^0.21.0', 'constructs@^10.4.2', '@cdktf/provider-aws@^21.22.1']);
  expect(installArguments(CONSTRUCTS_SECTION)).toEqual(expect.arrayContaining(requiredPeers));
  expect(localPeers).toHaveLength(Object.keys(LOCAL_MODE_PACKAGES).length);
  expect(installArguments(LOCAL_SECTION)).toEqual(['install', '-D', ...localPeers, expect.stringMatching(/^@aws-sdk\/client-sqs@/)]);
  expect(Object.keys(sectionFiles(CONSTRUCTS_SECTION)).sort()).toEqual(['main.js', 'src/worker.js']);
  expect(Object.keys(sectionFiles(LOCAL_SECTION)).sort()).toEqual(['src/payments-worker.js', 'test/payments.test.js']);
});

it('installs without this repository: only the tarball and the peers, no devDependencies', () => {
  const installed = readdirSync(path.join(scratch, 'payments-app', 'node_modules'));
  expect(installed).toEqual(expect.arrayContaining(['cdktf', 'constructs', 'esbuild', 'fflate', packageJson.name]));
  for (const devOnly of ['jest', 'typescript', 'tsx']) expect(installed).not.toContain(devOnly);
  // Nor the optional peers local mode needs: a construct-only project does not carry the embedded servers.
  for (const optional of optionalPeers.map((peer) => peer.slice(0, peer.lastIndexOf('@')))) {
    expect(existsSync(path.join(scratch, 'payments-app', 'node_modules', optional))).toBe(false);
  }
  // The package ships compiled JavaScript and declarations, and no source maps or tests.
  const shipped = path.join(scratch, 'payments-app', 'node_modules', packageJson.name);
  expect(existsSync(path.join(shipped, 'dist', 'constructs', 'index.d.ts'))).toBe(true);
  expect(existsSync(path.join(shipped, 'test'))).toBe(false);
  // Nor this repository's own stacks, demo or CLI: nothing the package ships imports them.
  for (const own of ['stacks', 'demo', 'cli/start.js', 'cli/options.js']) expect(existsSync(path.join(shipped, 'dist', own))).toBe(false);
  // The local emulator's child-process scripts as JavaScript next to the modules that start them,
  // and no TypeScript source anywhere (Node does not strip types under node_modules).
  expect(readdirSync(path.join(shipped, 'dist', 'local')).filter((file) => file.endsWith('.mjs')).sort()).toEqual(processScripts().map((file) => path.basename(file)));
  const files = readdirSync(shipped, { recursive: true, encoding: 'utf8' });
  expect(files.filter((file) => /\.(c|m)?ts$/.test(file) && !/\.d\.(c|m)?ts$/.test(file))).toEqual([]);
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

it('without the optional peers, the local emulator loads and startLocalEnvironment names what to install, starting nothing', () => {
  const project = path.join(scratch, 'payments-app');
  const probe = `const { startLocalEnvironment, LocalRequirementError } = require('${packageJson.name}/local');
    startLocalEnvironment({
      topology: { queues: [{ name: 'payments', visibilityTimeoutSeconds: 6 }],
                  functions: [{ name: 'payments-worker', entry: 'src/worker.js', timeoutSeconds: 1, consumes: { queue: 'payments' } }] },
      environments: { development: {} },
    }).then(() => console.log('{"started":true}'), (error) => console.log(JSON.stringify({
      isRequirementError: error instanceof LocalRequirementError, message: error.message, missing: error.missingPackages, command: error.installCommand })));`;
  const result = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: project, encoding: 'utf8', timeout: 30_000 })) as Record<string, unknown>;
  const command = `npm install -D ${localPeers.join(' ')}`;
  expect(result).toEqual({
    isRequirementError: true,
    message: expect.stringContaining(`optional peer dependencies of ${packageJson.name} that this project has not installed. Install them with: ${command}`),
    missing: ['fauxqs', 'dynalite', '@aws-sdk/client-dynamodb'],
    command,
  });
  expect(result.message).toContain('fauxqs (the embedded SQS server)');
  expect(processesMentioning(project)).toEqual([]);
});

describe('the local emulator, once the team installed the optional peers', () => {
  let project: string;

  beforeAll(() => {
    project = path.join(scratch, 'payments-app');
    npm([...installArguments(LOCAL_SECTION), '--prefer-offline', '--no-audit', '--no-fund'], project);
    writeFiles(project, sectionFiles(LOCAL_SECTION));
  }, 170_000);

  it("runs the team's test of its own handler with `node --test`: one payment dead-lettered, three processed once, on the shipped scripts, no process left", async () => {
    const shipped = path.join(project, 'node_modules', packageJson.name, 'dist', 'local');
    expect(processesMentioning(project)).toEqual([]);
    const { child: run, output, exited } = spawnCaptured(process.execPath, ['--test'], { cwd: project });
    // What the run starts, sampled from the process table while it runs: the servers and the
    // execution environment must be the package's own JavaScript scripts.
    const seen = new Map<number, string>();
    let running = true;
    void exited.then(() => (running = false));
    const killer = setTimeout(() => run.kill('SIGKILL'), 90_000);
    while (running) {
      for (const { pid, commandLine } of processesMentioning(shipped)) seen.set(pid, commandLine);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    clearTimeout(killer);
    expect({ code: await exited, output: output() }).toEqual({ code: 0, output: expect.stringMatching(/ℹ pass 1\n[\s\S]*ℹ fail 0\n/) });
    expect(output()).toContain('✔ a bad payment is dead-lettered, the others are processed once');
    const scripts = [...seen.values()].map((commandLine) => /dist\/local\/([\w-]+\.mjs)/.exec(commandLine)?.[1]);
    expect([...new Set(scripts)].sort()).toEqual(['dynamodb-server-process.mjs', 'lambda-host.mjs', 'sqs-server-process.mjs']);
    // Nothing of the run outlives it (esbuild's service process, the bundler's, included).
    await waitFor('every process of the run to exit', () => processesMentioning(project).length === 0, 5_000).catch(() => {});
    expect(processesMentioning(project)).toEqual([]);
  }, 120_000);
});
