/**
 * The embedded DynamoDB-compatible server of local mode (dynalite, from npm): holds the
 * idempotency table the functions remember processed events in. Started like the SQS server
 * (sqs-server.ts): its own process, 127.0.0.1, in memory unless a data directory is given.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServerProcess, type ServerExit } from './server-process';

/** Options for {@link startLocalDynamoDb}. */
export interface LocalDynamoDbOptions {
  /** TCP port on 127.0.0.1. @default 0 (a free port chosen by the OS) */
  readonly port?: number;
  /**
   * Folder for LevelDB persistence; tables and items survive restarts when set.
   * @default undefined (in memory only)
   */
  readonly dataDir?: string;
  /** Region the clients use (the server accepts any). @default 'us-east-1' */
  readonly region?: string;
  /** How long to wait for the server to listen. @default 15000 ms */
  readonly startTimeoutMs?: number;
}

/** A running embedded DynamoDB-compatible server on loopback. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`: give it to the SDK client as `endpoint` (functions: `AWS_ENDPOINT_URL_DYNAMODB`). */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** Operating-system process id of the server, for fault tests that kill it. */
  readonly pid: number;
  /** The persistence folder, when the server has one. */
  readonly dataDir?: string;
  /** Settles when the server process has exited, whatever the cause (see {@link ServerExit}). */
  readonly exited: Promise<ServerExit>;
  /** Stops the server (closing its store cleanly) and waits for its process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

const serverProcessScript = path.join(__dirname, 'dynamodb-server-process.mjs');

/** Starts the embedded DynamoDB server in a child process on 127.0.0.1 and resolves once it accepts requests. */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const region = options.region ?? 'us-east-1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = await startServerProcess(
    serverProcessScript,
    { port: options.port ?? 0, dataDir: options.dataDir },
    'embedded DynamoDB server',
    options.startTimeoutMs ?? 15_000,
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
