/**
 * Watches the embedded SQS server for the whole run. When its process dies without being asked to:
 *
 * - with persistence (a data directory), it is started again on the same port and data directory
 *   (clients keep their endpoint, messages and in-flight receipts survive in SQLite) and the queues are
 *   provisioned again (idempotent);
 * - without persistence, the messages it held are gone and restarting it would hide that: the
 *   supervisor reports the death as fatal and the run stops, naming what died.
 */
import { startLocalSqs, type LocalSqs, type LocalSqsExit } from './sqs-server';
import { sleep } from './sleep';

/** What happened to the server, for the run's log and the person watching. */
export type ServerEvent =
  | { readonly kind: 'server-died'; readonly pid: number; readonly exit: LocalSqsExit; readonly restarting: boolean }
  | { readonly kind: 'server-restarted'; readonly pid: number; readonly port: number; readonly attempt: number }
  | { readonly kind: 'server-lost'; readonly pid: number; readonly exit: LocalSqsExit; readonly reason: string };

export interface ServerSupervisorOptions {
  /** The running server; its port, data directory and region are reused for a restart. */
  readonly server: LocalSqs;
  readonly region: string;
  /** Run after a restart, before the server counts as back (e.g. provision the queues again). */
  readonly afterRestart?: (server: LocalSqs) => Promise<void>;
  readonly onEvent: (event: ServerEvent) => void;
  /** Restarts within one run before giving up. Range 1 – 100. @default 5 */
  readonly maxRestarts?: number;
}

export class ServerSupervisor {
  private current: LocalSqs;
  private stopping = false;
  private restarts = 0;
  private readonly watching: Promise<void>;
  private loseRun: (reason: string) => void = () => {};
  /** Settles with the reason when the server is gone for good (the run must stop). */
  readonly lost: Promise<string>;

  constructor(private readonly options: ServerSupervisorOptions) {
    this.current = options.server;
    this.lost = new Promise((resolve) => (this.loseRun = resolve));
    this.watching = this.watch();
  }

  /** The server running now (a new process after a restart). */
  get server(): LocalSqs {
    return this.current;
  }

  /** Stops watching and stops the server. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.current.stop();
    await this.watching;
  }

  private async watch(): Promise<void> {
    for (;;) {
      const server = this.current;
      const exit = await server.exited;
      if (exit.expected || this.stopping) return;
      const describe = describeExit(server, exit);
      if (!server.dataDir) {
        const reason = `${describe}; it ran in memory, so the messages it held are gone (start with --persist to have it restarted with its data)`;
        this.options.onEvent({ kind: 'server-lost', pid: server.pid, exit, reason });
        this.loseRun(reason);
        return;
      }
      if (this.restarts >= (this.options.maxRestarts ?? 5)) {
        const reason = `${describe}, after ${this.restarts} restart(s) in this run; giving up`;
        this.options.onEvent({ kind: 'server-lost', pid: server.pid, exit, reason });
        this.loseRun(reason);
        return;
      }
      this.options.onEvent({ kind: 'server-died', pid: server.pid, exit, restarting: true });
      this.restarts++;
      try {
        this.current = await this.restart(server);
      } catch (error) {
        const reason = `${describe}, and restarting it on port ${server.port} failed: ${(error as Error).message}`;
        this.options.onEvent({ kind: 'server-lost', pid: server.pid, exit, reason });
        this.loseRun(reason);
        return;
      }
      if (this.stopping) {
        await this.current.stop();
        return;
      }
      this.options.onEvent({ kind: 'server-restarted', pid: this.current.pid, port: this.current.port, attempt: this.restarts });
    }
  }

  /** Same port, same data directory; the port can take a moment to be free again. */
  private async restart(previous: LocalSqs): Promise<LocalSqs> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 20 && !this.stopping; attempt++) {
      try {
        const server = await startLocalSqs({ port: previous.port, region: this.options.region, ...(previous.dataDir ? { dataDir: previous.dataDir } : {}) });
        try {
          await this.options.afterRestart?.(server);
        } catch (error) {
          await server.stop();
          throw error;
        }
        return server;
      } catch (error) {
        lastError = error as Error;
        if (!lastError.message.includes('EADDRINUSE')) throw lastError;
        await sleep(250);
      }
    }
    throw lastError ?? new Error('stopped while restarting');
  }
}

function describeExit(server: LocalSqs, exit: LocalSqsExit): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const said = exit.stderr ? ` (${exit.stderr.split('\n').filter(Boolean).pop()})` : '';
  return `the embedded SQS server (pid ${server.pid}, port ${server.port}) ${how}${said}`;
}
