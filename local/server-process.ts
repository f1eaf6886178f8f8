/**
 * Starting an embedded server (SQS, DynamoDB) in its own child process: the script gets its options
 * as JSON in argv[2], prints one JSON line `{"ready":true,"endpoint":…,"port":…}` once it listens,
 * and stops on SIGTERM or when its stdin closes (so it never outlives the parent).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A running server process. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** Operating-system process id of the server, for fault tests that kill it. */
  readonly pid: number;
  /** Stops the server and waits for its process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts `script` with the caller's Node binary (the project pins Node 24) and resolves once it
 * printed its ready line.
 * @param what the server's name in error messages, e.g. `embedded SQS server`
 */
export async function startServerProcess(script: string, options: object, what: string, startTimeoutMs: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const ready = await waitForReady(child, what, startTimeoutMs);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    endpoint: ready.endpoint,
    port: ready.port,
    pid: child.pid ?? -1,
    async stop() {
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
