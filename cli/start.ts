/**
 * Entry point of `npm start` (see `npm start -- --help`). Parses the options, runs the local
 * pipeline, and turns every way a run can be asked to end into the same clean shutdown: Ctrl-C
 * (SIGINT), SIGTERM, SIGHUP (the terminal closed), or the parent process going away (an `npm start`
 * that was killed: the package.json script `exec`s node, and when something still sits between npm
 * and this process, its death is noticed here). A second signal a second later exits at once; the
 * child processes notice (closed IPC channel / stdin) and exit too, so nothing outlives the run.
 */
import { checkPaths } from './check-paths';
import { HELP, parseStartOptions, UsageError, type StartOptions } from './options';
import { runLocal } from './run-local';

/** How often the parent process is looked for. */
const PARENT_CHECK_MS = 500;

async function main(): Promise<number> {
  let options: StartOptions;
  try {
    options = parseStartOptions(process.argv.slice(2), process.env);
    if (!options.help) checkPaths(options, process.cwd());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`npm start: ${error.message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const stop = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // One Ctrl-C can arrive twice: from the terminal (to the whole process group) and relayed by a
    // wrapper when this process is slow to acknowledge it. Only a signal a second later means "now".
    if (firstSignalAt !== 0 && Date.now() - firstSignalAt < 1_000) return;
    if (firstSignalAt !== 0) {
      process.stderr.write(`\n${signal} again: exiting without waiting for in-flight batches (they return to their queues)\n`);
      process.exit(130);
    }
    firstSignalAt = Date.now();
    stop.abort(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping (in-flight batches finish first; again to exit at once)`);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const parent = process.ppid;
  const watchParent = setInterval(() => {
    if (process.ppid !== parent && !stop.signal.aborted) stop.abort(`the parent process (pid ${parent}) went away: stopping`);
  }, PARENT_CHECK_MS);
  watchParent.unref();

  const interactive = process.stdout.isTTY === true && !process.env.CI;
  return runLocal(options, { stdout: process.stdout, stderr: process.stderr, interactive, signal: stop.signal });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
