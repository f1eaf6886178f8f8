#!/usr/bin/env node
/**
 * Entry point of `npm run ops` and of the package's `sqs-messaging-ops` command (see `--help`).
 */
import { runOps } from './run-ops';

runOps(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ops failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
