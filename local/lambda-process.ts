import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Options for {@link LambdaProcess}. */
export interface LambdaProcessOptions {
  /** Name shown in logs and the Lambda context, e.g. `development-inventory-service`. */
  readonly functionName: string;
  /** The bundled handler module (`.build/lambdas/<service>/index.mjs`). */
  readonly bundleFile: string;
  /** Environment variables of the function (queue URLs, Powertools settings, …). */
  readonly environment: Readonly<Record<string, string>>;
  /** Invocation timeout; the execution environment is killed and restarted when it passes. */
  readonly timeoutMs: number;
  /** Receives each line the handler writes to stdout or stderr. @default discard */
  readonly onLogLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Called when the execution environment's process ends without being asked to (a crash, a kill,
   * a late unhandled rejection), idle or busy. The next invocation starts a fresh one. @default ignore
   */
  readonly onUnexpectedExit?: (exit: EnvironmentExit) => void;
}

/** An execution environment that ended without being asked to. */
export interface EnvironmentExit {
  readonly functionName: string;
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What it was doing: starting (init), running an invocation, or waiting for one. */
  readonly during: 'init' | 'invocation' | 'idle';
  /** Why, when the environment said so before exiting (e.g. `Runtime.UnhandledPromiseRejection: …`). */
  readonly reason?: string;
}

export type InvokeOutcome =
  | { readonly ok: true; readonly result: unknown; readonly durationMs: number; readonly coldStart: boolean }
  | {
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
      /** The invocation ran past the function timeout. */
      readonly timedOut: boolean;
      /** The execution environment died during the invocation (crash or kill). */
      readonly crashed: boolean;
      readonly durationMs: number;
      readonly coldStart: boolean;
    };

type HostMessage =
  | { type: 'ready' }
  | { type: 'fatal'; error: { name: string; message: string } }
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string; stack?: string } };

const hostScript = path.join(__dirname, 'lambda-host.mjs');

/**
 * One local Lambda execution environment: the bundled handler in its own Node process, invoked
 * one event at a time like a real Lambda sandbox. A timeout or crash discards the process; the
 * next invocation starts a fresh one (a cold start), as AWS does.
 */
export class LambdaProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private busy = false;
  private stopped = false;
  /** Processes this object killed on purpose (timeout, stop): their exit is not a fault. */
  private readonly dismissed = new WeakSet<ChildProcess>();
  /** The reason the current process gave before dying (see lambda-host.mjs `fatal`). */
  private readonly lastWords = new WeakMap<ChildProcess, string>();

  constructor(private readonly options: LambdaProcessOptions) {}

  /** Process id of the current execution environment, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Invokes the handler with `event`. Never throws for handler faults: they come back as `ok: false`. */
  async invoke(event: unknown): Promise<InvokeOutcome> {
    if (this.stopped) throw new Error(`${this.options.functionName}: invoke after stop`);
    if (this.busy) throw new Error(`${this.options.functionName}: one invocation at a time per execution environment`);
    this.busy = true;
    const started = Date.now();
    const coldStart = this.child === undefined;
    try {
      const child = await this.start();
      return await this.send(child, event, started, coldStart);
    } catch (error) {
      this.discard();
      return {
        ok: false,
        error: { name: 'Runtime.InitError', message: (error as Error).message },
        timedOut: false,
        crashed: true,
        durationMs: Date.now() - started,
        coldStart,
      };
    } finally {
      this.busy = false;
    }
  }

  /** Stops the execution environment (SIGTERM, then SIGKILL after `graceMs`). */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopped = true;
    await this.terminate(graceMs);
  }

  private start(): Promise<ChildProcess> {
    if (this.child && this.ready) return this.ready.then(() => this.child!);
    const child = fork(hostScript, [this.options.bundleFile], {
      env: { ...process.env, ...this.options.environment, AWS_LAMBDA_FUNCTION_NAME: this.options.functionName },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: ['--enable-source-maps'],
    });
    this.child = child;
    let initialised = false;
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = createInterface({ input: child[stream]! });
      lines.on('line', (line) => this.options.onLogLine?.(line, stream));
    }
    // Sending to a process that just died fails asynchronously with ERR_IPC_CHANNEL_CLOSED; the
    // 'exit' handler below deals with the death, so the error itself needs no more than a listener.
    child.on('error', () => {});
    child.on('message', (message: HostMessage) => {
      if (message.type === 'fatal') this.lastWords.set(child, `${message.error.name}: ${message.error.message}`);
    });
    child.once('exit', (code, signal) => {
      const wasBusy = this.busy && this.child === child;
      if (this.child === child) {
        this.child = undefined;
        this.ready = undefined;
      }
      if (this.dismissed.has(child) || this.stopped) return;
      const reason = this.lastWords.get(child);
      this.options.onUnexpectedExit?.({
        functionName: this.options.functionName,
        pid: child.pid,
        code,
        signal,
        during: !initialised ? 'init' : wasBusy ? 'invocation' : 'idle',
        ...(reason ? { reason } : {}),
      });
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: HostMessage) => {
        if (message.type !== 'ready') return;
        initialised = true;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve();
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        child.off('message', onMessage);
        reject(new Error(`${this.options.functionName}: execution environment exited during init (code ${code}, signal ${signal})`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    return this.ready.then(() => child);
  }

  private send(child: ChildProcess, event: unknown, started: number, coldStart: boolean): Promise<InvokeOutcome> {
    const id = this.nextId++;
    return new Promise<InvokeOutcome>((resolve) => {
      const finish = (outcome: InvokeOutcome) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(outcome);
      };
      const onMessage = (message: HostMessage) => {
        if (message.type !== 'result' || message.id !== id) return;
        const durationMs = Date.now() - started;
        finish(
          message.ok
            ? { ok: true, result: message.result, durationMs, coldStart }
            : { ok: false, error: message.error, timedOut: false, crashed: false, durationMs, coldStart },
        );
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const reason = this.lastWords.get(child);
        finish({
          ok: false,
          error: reason
            ? { name: reason.slice(0, reason.indexOf(':')), message: reason.slice(reason.indexOf(':') + 2) }
            : { name: 'Runtime.ExitError', message: `execution environment exited (code ${code}, signal ${signal})` },
          timedOut: false,
          crashed: true,
          durationMs: Date.now() - started,
          coldStart,
        });
      };
      const timer = setTimeout(() => {
        this.discard();
        finish({
          ok: false,
          error: { name: 'Sandbox.Timedout', message: `Task timed out after ${this.options.timeoutMs} ms` },
          timedOut: true,
          crashed: false,
          durationMs: Date.now() - started,
          coldStart,
        });
      }, this.options.timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      // An environment that died while idle may not have been noticed yet: a failed send is a crash
      // of this invocation; its 'exit' (already fired or about to) settles it.
      if (!child.connected || child.exitCode !== null || child.signalCode !== null) return onExit(child.exitCode, child.signalCode);
      child.send({ type: 'invoke', id, event, timeoutMs: this.options.timeoutMs, functionName: this.options.functionName }, (error) => {
        if (error && child.exitCode === null && child.signalCode === null) {
          this.discard();
        }
      });
    });
  }

  /** Kills the current environment without waiting (after a timeout or a failed init). */
  private discard(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child) this.dismissed.add(child);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private async terminate(graceMs: number): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child) this.dismissed.add(child);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
