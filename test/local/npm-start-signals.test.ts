/**
 * `npm start` as people and tools stop it: SIGTERM to the npm process at the top, SIGTERM to the
 * process npm started for the script (the shell, which the script's `exec` turns into node), SIGHUP
 * to it (its terminal closed), the parent going away (npm killed outright), and the in-memory server
 * dying. Each time every process of the run is gone afterwards (process table before and after) and
 * the files for apps are removed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnCaptured } from '../support/captured-process';
import { commandLine, descendants, waitFor, waitForExit } from './support';

const root = path.join(__dirname, '..', '..');

async function npmStart(): Promise<{ npm: number; script: number; processes: number[]; output: () => string; files: string[]; exited: Promise<number | null>; cleanup: () => void }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'npm-start-signals-'));
  const files = [path.join(folder, 'outputs.json'), path.join(folder, 'env')];
  const { child, output, exited } = spawnCaptured(
    'npm',
    ['start', '--', '--orders', '2', '--rate', '0', '--malformed', '0', '--outputs', files[0]!, '--app-env', files[1]!, '--log-dir', path.join(folder, 'logs')],
    // Its own process group, like a terminal's job, so the test can clean up whatever happens.
    { cwd: root, env: { ...process.env, CI: 'true' }, detached: true },
    // The process exited and its output has been read to the end.
    'close',
  );
  await waitFor('npm start serving', () => output().includes('still serving'), 60_000);
  const processes = descendants(child.pid!);
  const script = processes.find((pid) => pid !== child.pid && descendants(pid).length > 1)!;
  return {
    npm: child.pid!,
    script,
    processes,
    output,
    files,
    exited,
    cleanup: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

test.each([
  ['SIGTERM to npm, the top process', 'npm', 'SIGTERM'],
  ['SIGTERM to the script process (the shell, exec-ed into node)', 'script', 'SIGTERM'],
  ['SIGHUP to the script process (its terminal closed)', 'script', 'SIGHUP'],
  ['npm killed outright (the runner notices its parent went away)', 'npm', 'SIGKILL'],
] as const)('%s: every process of the run exits and the app files are removed', async (_name, target, signal) => {
  const run = await npmStart();
  try {
    // npm, the runner, the SQS server and at least one execution environment per function.
    expect(run.processes.length).toBeGreaterThanOrEqual(7);
    expect(run.files.every((file) => existsSync(file))).toBe(true);
    process.kill(target === 'npm' ? run.npm : run.script, signal);
    await waitForExit(run.processes, 20_000);
    await run.exited;
    expect(run.output()).toMatch(signal === 'SIGKILL' ? /the parent process \(pid \d+\) went away: stopping/ : new RegExp(`${signal}: stopping`));
    expect(run.output()).toMatch(/stopped cleanly in/);
    expect(run.files.filter((file) => existsSync(file))).toEqual([]);
  } finally {
    run.cleanup();
  }
}, 90_000);

test('the in-memory server killed: the run stops with exit status 1 naming what died, and nothing is left', async () => {
  const run = await npmStart();
  try {
    const server = run.processes.find((pid) => commandLine(pid).includes('sqs-server-process'))!;
    process.kill(server, 'SIGKILL');
    await waitForExit(run.processes, 20_000);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(new RegExp(`the run stopped because the embedded SQS server \\(pid ${server}, port \\d+\\) was killed by SIGKILL; it ran in memory, so the messages it held are gone`));
    expect(run.output()).not.toMatch(/stopped cleanly/);
    expect(run.files.filter((file) => existsSync(file))).toEqual([]);
  } finally {
    run.cleanup();
  }
}, 90_000);
