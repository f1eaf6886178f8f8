/**
 * What an app team gets from a local run: `.local/outputs.json` with every output the deployed
 * stack has, and `.local/env` that a plain Node app using only @aws-sdk/client-sqs sources and then
 * works with no other configuration — its orders, sent to the order queue URL, reach
 * notification-service; and an app that looks its queues up with loadQueueEndpoints (SSM on AWS)
 * finds them the same way. Both files are gone when the run ends.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildGraph } from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { spawnCaptured } from '../support/captured-process';
import { descendants, waitFor, waitForExit } from './support';

const root = path.join(__dirname, '..', '..');
const APP = path.join(__dirname, 'fixtures', 'app', 'send-orders.mjs');
const ENDPOINTS_APP = path.join(__dirname, 'fixtures', 'app', 'send-with-endpoints.ts');

test('an app that sources .local/env sends orders to ORDER_QUEUE_URL and they reach notification-service', async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'app-env-'));
  const outputsFile = path.join(folder, 'outputs.json');
  const envFile = path.join(folder, 'env');
  const logDir = path.join(folder, 'logs');
  const { child: runner, output, exited } = spawnCaptured(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'cli', 'start.ts'), '--orders', '0', '--malformed', '0', '--fast', '--outputs', outputsFile, '--app-env', envFile, '--log-dir', logDir],
    { cwd: root, env: { ...process.env, CI: 'true' }, detached: true },
  );
  try {
    await waitFor('the run serving', () => output().includes('still serving'), 60_000);

    // Every output of the deployed stack, under the same names, plus the endpoint and region.
    const outputs = (JSON.parse(readFileSync(outputsFile, 'utf8')) as { development: Record<string, string> }).development;
    const expectedKeys = [...buildGraph(topology, environments, 'development').outputs.map((output) => output.name), 'sqs_endpoint', 'region'];
    expect(Object.keys(outputs).sort()).toEqual(expectedKeys.sort());
    expect(outputs).toHaveProperty('order_service_function_url');
    expect(outputs.order_service_function_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // The app's own environment has no AWS settings at all: only what .local/env provides.
    const app = spawnSync('sh', ['-c', `. "${envFile}" && exec "${process.execPath}" "${APP}" 4 appenv`], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: folder },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ status: app.status, stderr: app.stderr }).toEqual({ status: 0, stderr: '' });
    const sent = JSON.parse(app.stdout) as { queueUrl: string; resolvedUrl: string; orders: { orderId: string; correlationId: string }[] };
    expect(sent.queueUrl).toBe(outputs.order_queue_url);
    // GetQueueUrl answers a URL whose host resolves (127.0.0.1), the same the outputs give.
    expect(sent.resolvedUrl).toBe(outputs.order_queue_url);

    const notified = () =>
      readFileSync(path.join(logDir, 'development-notification-service.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('notification sent'))
        .map((line) => JSON.parse(line) as { orderId: string; correlationId: string });
    // The same kind of app written for AWS: it looks the queue up with loadQueueEndpoints, which
    // reads SSM when deployed and, after `. .local/env`, this run's outputs file.
    const lookup = spawnSync('sh', ['-c', `. "${envFile}" && exec "${process.execPath}" --import tsx "${ENDPOINTS_APP}" 2 endpoints`], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: folder },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ status: lookup.status, stderr: lookup.stderr }).toEqual({ status: 0, stderr: '' });
    const looked = JSON.parse(lookup.stdout) as { queueUrl: string; orders: { orderId: string; correlationId: string }[] };
    expect(looked.queueUrl).toBe(outputs.order_queue_url);

    await waitFor('the apps\' orders at notification-service', () => existsSync(path.join(logDir, 'development-notification-service.log')) && notified().length >= 6, 30_000);
    // Each order once, with its correlation id (a standard queue keeps no order between them).
    const pairs = (list: readonly { orderId: string; correlationId: string }[]) => list.map(({ orderId, correlationId }) => `${orderId} ${correlationId}`).sort();
    expect(pairs(notified())).toEqual(pairs([...sent.orders, ...looked.orders]));

    const processes = descendants(runner.pid!);
    process.kill(runner.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    await waitForExit(processes);
    expect(existsSync(outputsFile) || existsSync(envFile)).toBe(false);
  } finally {
    if (runner.exitCode === null) process.kill(-runner.pid!, 'SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  }
}, 90_000);
