/**
 * The embedded SQS-compatible server of local mode (fauxqs, with local/fauxqs-extensions/): its own
 * process on 127.0.0.1, queues and messages in SQLite in the data directory when there is one,
 * otherwise in memory.
 */
import path from 'node:path';
import { sqliteNodeArguments } from './runtime-requirements';
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions, type ServerExit } from './server-process';

/** Options for {@link startLocalSqs}. */
export type LocalSqsOptions = EmbeddedServerOptions;

/** A running embedded SQS-compatible server (fauxqs) on loopback; `endpoint` goes to the SDK client. */
export type LocalSqs = EmbeddedServer;

/** How the server process ended. */
export type LocalSqsExit = ServerExit;

const serverProcessScript = path.join(__dirname, 'sqs-server-process.mjs');

/**
 * Starts the embedded SQS server in a child process on 127.0.0.1 and resolves once it accepts
 * requests. The child uses the same Node binary as the caller (the project pins Node 24; fauxqs
 * needs node:sqlite, behind a flag before Node 22.13).
 */
export function startLocalSqs(options: LocalSqsOptions = {}): Promise<LocalSqs> {
  return startEmbeddedServer(serverProcessScript, 'embedded SQS server', options, sqliteNodeArguments());
}
