/**
 * `npm start`: option parsing and its messages, `--help`, a bad flag (exit 2), the `--once` demo
 * (exit 0 only when every valid order reached notification-service and every malformed message is
 * in a DLQ), and Ctrl-C in serving mode shutting everything down.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { checkPaths } from '../../cli/check-paths';
import { parseStartOptions, UsageError } from '../../cli/options';
import { runLocal } from '../../cli/run-local';
import { spawnCaptured } from '../support/captured-process';
import { descendants, waitFor } from './support';

const root = path.join(__dirname, '..', '..');
// As the package.json "start" script runs it: node with the tsx loader, no tsx wrapper process.
const startCommand = ['--import', 'tsx', path.join(root, 'cli', 'start.ts')];
const env = { ...process.env, CI: 'true' };

describe('options', () => {
  test('defaults: demo of 20 orders and 3 malformed messages, fast only with --once', () => {
    expect(parseStartOptions([])).toMatchObject({ orders: 20, rate: 10, malformed: 3, failureRate: 0, port: 0, once: false, fast: false, concurrency: 2 });
    expect(parseStartOptions(['--once'])).toMatchObject({ once: true, fast: true, deadlineSeconds: 120 });
    expect(parseStartOptions(['--once', '--no-fast'])).toMatchObject({ once: true, fast: false, deadlineSeconds: 600 });
    expect(parseStartOptions(['--failure-rate', '20', '--persist'])).toMatchObject({ failureRate: 0.2, dataDir: path.join('.local', 'data') });
    expect(parseStartOptions(['--data-dir', 'tmp/q', '--port=9324'])).toMatchObject({ dataDir: 'tmp/q', port: 9324 });
    expect(parseStartOptions([])).toMatchObject({ environment: 'development' });
    expect(parseStartOptions(['--env', 'staging'])).toMatchObject({ environment: 'staging' });
  });

  test.each([
    [['--orders', 'abc'], '--orders must be a number between 0 and 100000, but "abc" was provided; e.g. --orders 20'],
    [['--env', 'prod'], '--env must be one of the environments of stacks/environments.ts (development, staging, production), but "prod" was provided; add a profile for it or pick one of those'],
    [['--orders', '2.5'], '--orders must be a whole number between 0 and 100000, but "2.5" was provided; e.g. --orders 20'],
    [['--failure-rate', '150'], '--failure-rate must be a number between 0 and 100, but "150" was provided; e.g. --failure-rate 0'],
    [['--port', '-1'], '--port was given "-1", which looks like another option; if it is the value, write --port=-1'],
    [['--port=-1'], '--port must be a number between 0 and 65535, but "-1" was provided; e.g. --port 0'],
    [['--port', '70000'], '--port must be a number between 0 and 65535, but "70000" was provided; e.g. --port 0'],
    [['--rate'], '--rate needs a value, e.g. --rate 10; run "npm start -- --help" for details'],
    [['--speed', '3'], 'unknown option --speed; run "npm start -- --help" for the list of options'],
    [['--once=yes'], '--once is a switch and takes no value; write just --once'],
    [['orders'], 'unexpected argument "orders": options start with --; run "npm start -- --help"'],
    [['--fast', '--no-fast'], '--fast and --no-fast were both given; pick one'],
    [['--deadline', '5'], '--deadline must be a number between 10 and 3600, but "5" was provided; e.g. --deadline 600'],
  ])('%j is rejected: %s', (argv, message) => {
    expect(() => parseStartOptions(argv)).toThrow(new UsageError(message));
  });

  test('options npm took for its own (npm start --once without --) are read from npm_config_*', () => {
    const npm = { npm_lifecycle_event: 'start' };
    expect(parseStartOptions([], { ...npm, npm_config_once: 'true' })).toMatchObject({ once: true, fast: true });
    expect(parseStartOptions([], { ...npm, npm_config_once: 'true', npm_config_fast: '', npm_config_orders: '5' })).toMatchObject({ once: true, fast: false, orders: 5 });
    // Given after "--" as well: the command line wins.
    expect(parseStartOptions(['--orders', '7'], { ...npm, npm_config_orders: '5' })).toMatchObject({ orders: 7 });
    // Outside npm (or not under a script), npm_config_* means nothing.
    expect(parseStartOptions([], { npm_config_once: 'true' })).toMatchObject({ once: false });
    expect(() => parseStartOptions(['5'], { ...npm, npm_config_orders: 'true' })).toThrow(
      new UsageError('npm took --orders for its own setting and dropped its value; write the options after "--": npm start -- --orders <value> (or --orders=<value>)'),
    );
  });

  test('a folder option pointing at a file, or a file option at a folder, is a usage error naming the flag', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'npm-start-paths-'));
    try {
      writeFileSync(path.join(cwd, 'a-file'), '');
      const check = (argv: string[]) => () => checkPaths(parseStartOptions(argv), cwd);
      expect(check(['--data-dir', 'a-file'])).toThrow(new UsageError('--data-dir must be a folder, but "a-file" is a file; pick a folder path, e.g. --data-dir .local/data'));
      expect(check(['--log-dir', 'a-file/logs'])).toThrow(new UsageError(`--log-dir must be a folder, but "a-file/logs" is under ${path.join(cwd, 'a-file')}, which is a file; pick a folder path, e.g. --log-dir .local/logs`));
      expect(check(['--outputs', '.'])).toThrow(new UsageError('--outputs must be a file, but "." is a folder; name a file in it, e.g. --outputs outputs.json'));
      expect(check(['--app-env', 'a-file/env'])).toThrow(/^--app-env must be a file in a folder, but the folder of "a-file\/env" is a file/);
      expect(check(['--data-dir', 'new/folder', '--outputs', 'new/outputs.json'])).not.toThrow();
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

test('--help lists every option; a bad flag exits 2 naming the flag, the value and the fix', () => {
  const help = spawnSync(process.execPath, [...startCommand, '--help'], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
  expect(help.status).toBe(0);
  for (const flag of ['--orders', '--rate', '--malformed', '--failure-rate', '--port', '--persist', '--data-dir', '--outputs', '--app-env', '--log-dir', '--concurrency', '--once', '--fast', '--no-fast', '--deadline', '--help']) {
    expect(help.stdout).toContain(flag);
  }
  const bad = spawnSync(process.execPath, [...startCommand, '--failure-rate', 'lots'], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('npm start: --failure-rate must be a number between 0 and 100, but "lots" was provided; e.g. --failure-rate 0');
  const file = spawnSync(process.execPath, [...startCommand, '--log-dir', 'package.json'], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
  expect(file.status).toBe(2);
  expect(file.stderr).toBe('npm start: --log-dir must be a folder, but "package.json" is a file; pick a folder path, e.g. --log-dir .local/logs\n');
});

test('--once: the demo passes, logs every invocation, removes the files for apps and exits 0', async () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'npm-start-once-'));
  let stdout = '';
  try {
    const options = parseStartOptions(['--once', '--orders', '12', '--rate', '0', '--malformed', '3']);
    const code = await runLocal(options, { stdout: { write: (text) => (stdout += text) }, stderr: { write: (text) => (stdout += text) }, interactive: false, cwd });
    expect({ code, stdout }).toMatchObject({ code: 0 });
    expect(stdout).toContain('valid orders that reached development-notification-service: 12/12');
    expect(stdout).toContain('malformed messages in a DLQ: 3/3 (development-order-dlq)');
    expect(stdout).toMatch(/--fast: shorter timeouts .*\n.*timeout 10 s → 1 s/);
    expect(stdout).toMatch(/^PASS: /m);
    // The health summary under the progress lines, with the dashboard's definitions.
    expect(stdout).toMatch(/^ +health \(last \d+ s, as the dashboard computes it\): order (empty|drains in \d+ s|\d+ waiting, nothing deleted), (errors [\d.]+ % of \d+|no invocations) \| inventory /m);
    // Written while the run served (see app-env.test.ts), removed at the end: no stale endpoint.
    expect(stdout).toMatch(/stopped cleanly in \d+\.\d s; \.local\/outputs\.json and \.local\/env removed/);
    expect(existsSync(path.join(cwd, '.local', 'outputs.json'))).toBe(false);
    expect(existsSync(path.join(cwd, '.local', 'env'))).toBe(false);
    expect(readdirSync(path.join(cwd, '.local', 'logs')).sort()).toEqual([
      ...['inventory-service', 'notification-service', 'order-service', 'shipping-service'].map((service) => `development-${service}.log`),
      'invocations.jsonl',
    ]);
    // The malformed messages' whole story is in the invocation records: failed, then dead-lettered.
    const records = readFileSync(path.join(cwd, '.local', 'logs', 'invocations.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { outcome: string; function: string; deadLettering?: string[] });
    expect(records.filter((record) => record.function === 'development-inventory-service' && record.outcome === 'partial').length).toBeGreaterThanOrEqual(3);
    expect(records.flatMap((record) => record.deadLettering ?? [])).toHaveLength(3);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}, 60_000);

test('serving mode: Ctrl-C (SIGINT to the whole process group) stops every process cleanly, exit 0', async () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'npm-start-serve-'));
  // Its own process group, like a terminal's foreground job, so the signal reaches every process.
  const { child, output, exited } = spawnCaptured(
    process.execPath,
    [...startCommand, '--orders', '5', '--rate', '0', '--malformed', '0', '--outputs', path.join(cwd, 'outputs.json'), '--log-dir', path.join(cwd, 'logs')],
    { cwd: root, env, detached: true },
  );
  try {
    await waitFor('the demo summary', () => output().includes('still serving'), 45_000);
    const processes = descendants(child.pid!);
    // The CLI, the SQS server and the execution environments (4 functions at least).
    expect(processes.length).toBeGreaterThanOrEqual(6);
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output()).toMatch(/stopped cleanly in \d+\.\d s/);
    await waitFor('every child process gone', () => processes.every((pid) => !existsSync(`/proc/${pid}`)), 5_000);
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  }
}, 60_000);
