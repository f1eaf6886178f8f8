/**
 * Watches an embedded server (SQS, DynamoDB) for the whole run. When its process dies without
 * being asked to:
 *
 * - with persistence (a data directory), it is started again on the same port and data directory
 *   (clients keep their endpoint; messages, in-flight receipts and items survive on disk) and
 *   `afterRestart` runs (e.g. provisioning again, which is idempotent);
 * - without persistence, what it held is gone and restarting it would hide that: the supervisor
 *   reports the death as fatal and the run stops, naming what died.
 */
import type { ServerExit } from './server-process';
import { sleep } from './sleep';

/** What a supervisor needs of a running server (LocalSqs and LocalDynamoDb both are one). */
export interface SupervisedServer {
  readonly pid: number;
  readonly port: number;
  readonly dataDir?: string;
  readonly exited: Promise<ServerExit>;
  stop(): Promise<void>;
}

/** What happened to a server, for the run's log and the person watching. */
export type ServerEvent = { readonly server: string } & (
  | { readonly kind: 'server-died'; readonly pid: number; readonly exit: ServerExit; readonly restarting: boolean }
  | { readonly kind: 'server-restarted'; readonly pid: number; readonly port: number; readonly attempt: number }
  | { readonly kind: 'server-lost'; readonly pid: number; readonly exit: ServerExit; readonly reason: string }
);

export interface ServerSupervisorOptions<S extends SupervisedServer> {
  /** The server's name in messages, e.g. `embedded SQS server`. */
  readonly name: string;
  /** What it holds, for the message when it dies in memory, e.g. `messages`. */
  readonly holds: string;
  /** The running server; its port and data directory are reused for a restart. */
  readonly server: S;
  /** Starts the server again on `port` with `dataDir`. */
  readonly restart: (port: number, dataDir: string) => Promise<S>;
  /** Run after a restart, before the server counts as back (e.g. provision again). */
  readonly afterRestart?: (server: S) => Promise<void>;
  readonly onEvent: (event: ServerEvent) => void;
  /** Restarts within one run before giving up. Range 1 – 100. @default 5 */
  readonly maxRestarts?: number;
}

export class ServerSupervisor<S extends SupervisedServer> {
  private current: S;
  private stopping = false;
  private restarts = 0;
  private readonly watching: Promise<void>;

  constructor(private readonly options: ServerSupervisorOptions<S>) {
    this.current = options.server;
    this.watching = this.watch();
  }

  /** The server running now (a new process after a restart). */
  get server(): S {
    return this.current;
  }

  /** Stops watching and stops the server. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.current.stop();
    await this.watching;
  }

  private async watch(): Promise<void> {
    const server = this.options.name;
    for (;;) {
      const running = this.current;
      const exit = await running.exited;
      if (exit.expected || this.stopping) return;
      const describe = this.describeExit(running, exit);
      // Gone for good: the run must stop (the owner does so on this event).
      const lose = (reason: string) => this.options.onEvent({ server, kind: 'server-lost', pid: running.pid, exit, reason });
      if (!running.dataDir) {
        return lose(`${describe}; it ran in memory, so the ${this.options.holds} it held are gone (start with --persist to have it restarted with its data)`);
      }
      if (this.restarts >= (this.options.maxRestarts ?? 5)) return lose(`${describe}, after ${this.restarts} restart(s) in this run; giving up`);
      this.options.onEvent({ server, kind: 'server-died', pid: running.pid, exit, restarting: true });
      this.restarts++;
      try {
        this.current = await this.restart(running, running.dataDir);
      } catch (error) {
        return lose(`${describe}, and restarting it on port ${running.port} failed: ${(error as Error).message}`);
      }
      if (this.stopping) {
        await this.current.stop();
        return;
      }
      this.options.onEvent({ server, kind: 'server-restarted', pid: this.current.pid, port: this.current.port, attempt: this.restarts });
    }
  }

  /** Same port, same data directory; the port can take a moment to be free again. */
  private async restart(previous: S, dataDir: string): Promise<S> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 20 && !this.stopping; attempt++) {
      try {
        const server = await this.options.restart(previous.port, dataDir);
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

  private describeExit(server: S, exit: ServerExit): string {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const said = exit.stderr ? ` (${exit.stderr.split('\n').filter(Boolean).pop()})` : '';
    return `the ${this.options.name} (pid ${server.pid}, port ${server.port}) ${how}${said}`;
  }
}
