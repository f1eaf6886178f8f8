import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

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
export interface LocalSqsExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when {@link LocalSqs.stop} asked for it. */
  readonly expected: boolean;
  /** The last lines the server wrote to stderr (its crash report), if any. */
  readonly stderr: string;
}

const serverProcessScript = path.join(__dirname, 'sqs-server-process.mjs');

/**
 * Starts the embedded SQS server in a child process on 127.0.0.1 and resolves once it accepts
 * requests. The child uses the same Node binary as the caller (the project pins Node 24, which
 * fauxqs needs for node:sqlite).
 */
export async function startLocalSqs(options: LocalSqsOptions = {}): Promise<LocalSqs> {
  const region = options.region ?? 'us-east-1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [serverProcessScript, JSON.stringify({ port: options.port ?? 0, region, dataDir: options.dataDir })],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  // Registered before waiting for readiness so that no exit is missed.
  let expected = false;
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2_000);
  });
  const exited = new Promise<LocalSqsExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, expected, stderr: stderrTail.trim() }));
  });
  // The pipes close when the child dies; an EPIPE on stdin must not become an unhandled 'error'.
  child.stdin?.on('error', () => {});
  const ready = await waitForReady(child, options.startTimeoutMs ?? 15_000);
  return {
    endpoint: ready.endpoint,
    port: ready.port,
    region,
    pid: child.pid ?? -1,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    exited,
    async stop() {
      expected = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<{ endpoint: string; port: number }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded SQS server did not start within ${timeoutMs} ms${stderr ? `: ${stderr.trim()}` : ''}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`embedded SQS server exited before it was ready (code ${code}, signal ${signal})${stderr ? `: ${firstError(stderr)}` : ''}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        const message = JSON.parse(line) as { ready: boolean; endpoint: string; port: number };
        resolve({ endpoint: message.endpoint, port: message.port });
      } catch {
        reject(new Error(`embedded SQS server printed an unexpected line: ${line}`));
      }
    });
  });
}

/** The thrown error's own line from a Node crash report (e.g. `listen EADDRINUSE: ...`), else the whole text. */
function firstError(stderr: string): string {
  const line = /^\w*Error: (.+)$/m.exec(stderr);
  return line ? line[1]! : stderr.trim();
}
