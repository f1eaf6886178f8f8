/**
 * The embedded SQS-compatible server of local mode (fauxqs, with local/fauxqs-extensions/): its own
 * process on 127.0.0.1, in memory unless a data directory is given.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sqliteNodeArguments } from './runtime-requirements';
import { startServerProcess, type ServerExit } from './server-process';

/** Options for {@link startLocalSqs}. */
export interface LocalSqsOptions {
  /** TCP port on 127.0.0.1. @default 0 (a free port chosen by the OS) */
  readonly port?: number;
  /**
   * Folder for SQLite persistence; queues and messages survive restarts when set.
   * @default undefined (in memory only)
   */
  readonly dataDir?: string;
  /** Region used in queue URLs and ARNs. @default 'us-east-1' */
  readonly region?: string;
  /** How long to wait for the server to listen. @default 15000 ms */
  readonly startTimeoutMs?: number;
}

/** A running embedded SQS-compatible server (fauxqs) on loopback. */
export interface LocalSqs {
  /** `http://127.0.0.1:<port>`: give it to the SDK client as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** Operating-system process id of the server, for fault tests that kill it. */
  readonly pid: number;
  /** The persistence folder, when the server has one. */
  readonly dataDir?: string;
  /**
   * Settles when the server process has exited, whatever the cause; `expected` is true after
   * {@link stop}. A supervisor awaits it to notice a server that died.
   */
  readonly exited: Promise<LocalSqsExit>;
  /** Stops the server and waits for its process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** How the server process ended. */
export type LocalSqsExit = ServerExit;

const serverProcessScript = path.join(__dirname, 'sqs-server-process.mjs');

/**
 * Starts the embedded SQS server in a child process on 127.0.0.1 and resolves once it accepts
 * requests. The child uses the same Node binary as the caller (the project pins Node 24; fauxqs
 * needs node:sqlite, behind a flag before Node 22.13).
 */
export async function startLocalSqs(options: LocalSqsOptions = {}): Promise<LocalSqs> {
  const region = options.region ?? 'us-east-1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = await startServerProcess(
    serverProcessScript,
    { port: options.port ?? 0, region, dataDir: options.dataDir },
    'embedded SQS server',
    options.startTimeoutMs ?? 15_000,
    sqliteNodeArguments(),
  );
  return {
    endpoint: server.endpoint,
    port: server.port,
    region,
    pid: server.pid,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    exited: server.exited,
    stop: () => server.stop(),
  };
}
