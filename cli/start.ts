/**
 * Entry point of `npm start` (see `npm start -- --help`). Parses the options, runs the local
 * pipeline, and turns Ctrl-C / SIGTERM into a clean shutdown (a second Ctrl-C exits at once).
 */
import { HELP, parseStartOptions, UsageError, type StartOptions } from './options';
import { runLocal } from './run-local';

async function main(): Promise<number> {
  let options: StartOptions;
  try {
    options = parseStartOptions(process.argv.slice(2));
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
    // One Ctrl-C can arrive twice: from the terminal (to the whole process group) and relayed by
    // tsx when this process is slow to acknowledge it. Only a signal a second later means "now".
    if (firstSignalAt !== 0 && Date.now() - firstSignalAt < 1_000) return;
    if (firstSignalAt !== 0) {
      process.stderr.write(`\n${signal} again: exiting without waiting for in-flight batches (they return to their queues)\n`);
      process.exit(130);
    }
    firstSignalAt = Date.now();
    process.stderr.write(`\n${signal}: stopping (in-flight batches finish first; ${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to exit at once)\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
