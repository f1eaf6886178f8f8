/**
 * Starting an embedded server (SQS, DynamoDB) in its own child process: the script gets its options
 * as JSON in argv[2], prints one JSON line `{"ready":true,"endpoint":…,"port":…}` once it listens,
 * and stops on SIGTERM or when its stdin closes (so it never outlives the parent).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Options of an embedded server. */
export interface EmbeddedServerOptions {
  /** TCP port on 127.0.0.1. @default 0 (a free port chosen by the OS) */
  readonly port?: number;
  /**
   * Folder for the server's data; what it holds survives restarts when set.
   * @default undefined (in memory only)
   */
  readonly dataDir?: string;
  /** Region of the server's ARNs and URLs (and of its clients). @default 'us-east-1' */
  readonly region?: string;
  /** How long to wait for the server to listen. @default 15000 ms */
  readonly startTimeoutMs?: number;
}

/** A running embedded server on loopback. */
export interface EmbeddedServer extends ServerProcess {
  readonly region: string;
  /** The persistence folder, when the server has one. */
  readonly dataDir?: string;
}

/**
 * Starts an embedded server's process (see {@link startServerProcess}) with its port, region and
 * data directory (created first).
 */
export async function startEmbeddedServer(
  script: string,
  what: string,
  options: EmbeddedServerOptions,
  nodeArguments: readonly string[] = [],
): Promise<EmbeddedServer> {
  const region = options.region ?? 'us-east-1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = await startServerProcess(script, { port: options.port ?? 0, region, dataDir: options.dataDir }, what, options.startTimeoutMs ?? 15_000, nodeArguments);
  return { ...server, region, ...(options.dataDir ? { dataDir: options.dataDir } : {}) };
}

/** A running server process. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** Operating-system process id of the server, for fault tests that kill it. */
  readonly pid: number;
  /**
   * Settles when the server process has exited, whatever the cause; `expected` is true after
   * {@link stop}. A supervisor awaits it to notice a server that died.
   */
  readonly exited: Promise<ServerExit>;
  /** Stops the server and waits for its process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** How a server process ended. */
export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when {@link ServerProcess.stop} asked for it. */
  readonly expected: boolean;
  /** The last lines the server wrote to stderr (its crash report), if any. */
  readonly stderr: string;
}

/**
 * Starts `script` with the caller's Node binary (the project pins Node 24) and resolves once it
 * printed its ready line.
 * @param what the server's name in error messages, e.g. `embedded SQS server`
 * @param nodeArguments options for Node itself, before the script. @default none
 */
export async function startServerProcess(
  script: string,
  options: object,
  what: string,
  startTimeoutMs: number,
  nodeArguments: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArguments, script, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  // Registered before waiting for readiness so that no exit is missed.
  let expected = false;
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2_000);
  });
  const exited = new Promise<ServerExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, expected, stderr: stderrTail.trim() }));
  });
  // The pipes close when the child dies; an EPIPE on stdin must not become an unhandled 'error'.
  child.stdin?.on('error', () => {});
  const ready = await waitForReady(child, what, startTimeoutMs);
  return {
    endpoint: ready.endpoint,
    port: ready.port,
    pid: child.pid ?? -1,
    exited,
    async stop() {
      expected = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function waitForReady(child: ChildProcess, what: string, timeoutMs: number): Promise<{ endpoint: string; port: number }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start within ${timeoutMs} ms${stderr ? `: ${stderr.trim()}` : ''}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited before it was ready (code ${code}, signal ${signal})${stderr ? `: ${firstError(stderr)}` : ''}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        const message = JSON.parse(line) as { ready: boolean; endpoint: string; port: number };
        resolve({ endpoint: message.endpoint, port: message.port });
      } catch {
        reject(new Error(`${what} printed an unexpected line: ${line}`));
      }
    });
  });
}

/** The thrown error's own line from a Node crash report (e.g. `listen EADDRINUSE: ...`), else the whole text. */
function firstError(stderr: string): string {
  const line = /^\w*Error: (.+)$/m.exec(stderr);
  return line ? line[1]! : stderr.trim();
}
