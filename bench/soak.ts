/**
 * Soak benchmark (`npm run bench -- soak`; not part of the default run): `npm start`'s runner serving
 * steady traffic for up to 5 minutes, with the resident memory of the runner and of the embedded SQS
 * server printed at start, after warm-up and at the end, and the growth per minute after warm-up.
 * Flat after warm-up is the target (≤ 0.5 MB/min): the runner keeps no per-message state.
 *
 * The runner is the real CLI (cli/start.ts) in its own process, found through its outputs file as an
 * app would; orders go to the order-service function URL, one per request.
 * BENCH_SOAK_SECONDS shortens the run (60 – 300, default 300).
 */
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoOrder } from '../demo/traffic';
import { sleep } from '../local/sleep';
import { rssMb } from './process-stats';
import { printTable } from './report';

const ORDERS_PER_SECOND = 40;
const MAX_SECONDS = 300;
const WARM_UP_SECONDS = 60;

export async function benchSoak(): Promise<void> {
  const seconds = Math.min(MAX_SECONDS, Math.max(60, Number(process.env.BENCH_SOAK_SECONDS ?? MAX_SECONDS) || MAX_SECONDS));
  console.log(`\n## Soak: npm start serving ${ORDERS_PER_SECOND} orders/s for ${seconds} s (runner and server RSS)`);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bench-soak-'));
  const outputsFile = path.join(folder, 'outputs.json');
  const root = path.join(__dirname, '..');
  const runner = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'cli', 'start.ts'), '--orders', '0', '--malformed', '0', '--fast', '--outputs', outputsFile, '--app-env', path.join(folder, 'env'), '--log-dir', path.join(folder, 'logs')],
    { cwd: root, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  runner.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => runner.once('exit', () => resolve()));
  try {
    const started = Date.now();
    while (!output.includes('still serving')) {
      if (Date.now() - started > 120_000 || runner.exitCode !== null) throw new Error(`the runner did not start:\n${output}`);
      await sleep(100);
    }
    const outputs = (JSON.parse(readFileSync(outputsFile, 'utf8')) as { development: Record<string, string> }).development;
    const url = outputs.order_service_function_url!;
    const serverPid = childPids(runner.pid!).find((pid) => commandLine(pid).includes('sqs-server-process'))!;
    const sample = (label: string, at: number) => ({ label, at, runnerMb: rssMb(runner.pid!), serverMb: rssMb(serverPid) });

    const samples = [sample('start', 0)];
    let accepted = 0;
    let failed = 0;
    const outstanding = new Set<Promise<void>>();
    const begin = Date.now();
    for (let index = 0; Date.now() - begin < seconds * 1000; index++) {
      const due = begin + (index * 1000) / ORDERS_PER_SECOND;
      if (due > Date.now()) await sleep(due - Date.now());
      if (samples.length === 1 && Date.now() - begin >= WARM_UP_SECONDS * 1000) samples.push(sample(`after ${WARM_UP_SECONDS} s warm-up`, (Date.now() - begin) / 1000));
      while (outstanding.size >= 8) await Promise.race(outstanding);
      const request = fetch(url, { method: 'POST', headers: { 'x-correlation-id': `soak-${index}` }, body: JSON.stringify(demoOrder('soak', index)) })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status === 202) accepted++;
          else failed++;
        })
        .catch(() => void failed++);
      outstanding.add(request);
      void request.finally(() => outstanding.delete(request));
    }
    await Promise.all(outstanding);
    samples.push(sample('end', (Date.now() - begin) / 1000));

    const [, warm, end] = samples;
    const perMinute = (key: 'runnerMb' | 'serverMb') => ((end![key] - warm![key]) / ((end!.at - warm!.at) / 60)).toFixed(2);
    printTable(
      ['moment', 'seconds', 'runner RSS MB', 'server RSS MB'],
      samples.map((entry) => [entry.label, entry.at, entry.runnerMb, entry.serverMb]),
    );
    console.log(`growth after warm-up: runner ${perMinute('runnerMb')} MB/min, server ${perMinute('serverMb')} MB/min (target: runner ≤ 0.5 MB/min)`);
    const last = output.split('\n').filter((line) => line.includes('notification:')).pop() ?? '';
    console.log(`orders accepted by order-service: ${accepted}, refused or failed: ${failed}; last progress: ${last.replace(/^\[\s*[\d.]+ s\] /, '')}`);
  } finally {
    if (runner.exitCode === null) runner.kill('SIGTERM');
    await exited;
    rmSync(folder, { recursive: true, force: true });
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

if (require.main === module) void benchSoak();
