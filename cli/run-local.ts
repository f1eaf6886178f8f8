/**
 * `npm start`: an environment of stacks/ (development by default) on this machine (local/local-environment.ts),
 * the demo on top of it (demo/), and what a person watching needs: a banner, live progress,
 * supervision messages, the summary. With `once`, waits for the demo to settle, checks it and
 * returns the exit status; otherwise serves until `signal` aborts or something that cannot be
 * replaced dies.
 */
import path from 'node:path';
import { describeTimingChanges, formatWarning, SpecValidationError } from '../model';
import { environments } from '../stacks/environments';
import { topology } from '../stacks/topology';
import { DeliveryLog } from '../demo/delivery-log';
import { startDemo, type RunningDemo } from '../demo/run-demo';
import { startLocalEnvironment, type LocalEnvironment } from '../local/local-environment';
import { HealthWindow, healthLine, healthReading } from '../local/health';
import { isSettled, readProgress, type QueueProgress } from '../local/progress';
import { sleep } from '../local/sleep';
import type { StartOptions } from './options';
import { progressTable, ProgressView, type Output } from './progress-view';

export interface RunIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Redraw progress in place (a terminal, not CI). */
  readonly interactive: boolean;
  /** Aborted on Ctrl-C, SIGTERM, SIGHUP or the parent going away; the reason is printed. */
  readonly signal?: AbortSignal;
  /** Folder relative paths are resolved against. @default process.cwd() */
  readonly cwd?: string;
}

/** Exit statuses. */
export const EXIT = { ok: 0, checkFailed: 1, startFailed: 1, died: 1, interrupted: 130 } as const;

export async function runLocal(options: StartOptions, io: RunIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const started = Date.now();
  let view: ProgressView | undefined;
  const say = (line: string) => (view ? view.log(line) : io.stdout.write(line + '\n'));
  const warn = (line: string) => (view ? view.log(line) : io.stderr.write(line + '\n'));
  const at = (file: string) => path.resolve(cwd, file);
  const deliveries = new DeliveryLog();
  let brokenGroups = 0;
  const lastMappingError = new Map<string, number>();

  say(`starting the ${options.environment} environment (bundling ${(topology.functions ?? []).map((fn) => fn.name).join(', ')}) ...`);
  let local: LocalEnvironment;
  try {
    local = await startLocalEnvironment({
      topology,
      environments,
      environment: options.environment,
      port: options.port,
      ...(options.dataDir ? { dataDir: at(options.dataDir) } : {}),
      fast: options.fast,
      concurrency: options.concurrency,
      failureRate: options.failureRate,
      logDir: at(options.logDir),
      outputsFile: at(options.outputsFile),
      envFile: at(options.envFile),
      onInvocation: (report) => {
        deliveries.record(report);
        if (report.brokenGroups.length > 0) brokenGroups++;
      },
      onEvent: (event) => {
        if (event.kind === 'mapping-error') {
          // At most one line per function and second: a server that is down would otherwise flood.
          if (Date.now() - (lastMappingError.get(event.functionName) ?? 0) < 1_000) return;
          lastMappingError.set(event.functionName, Date.now());
        }
        warn(event.message);
      },
    });
  } catch (error) {
    if (error instanceof SpecValidationError) {
      warn(`the ${options.environment} environment is not valid:\n${error.message}`);
      return EXIT.startFailed;
    }
    const message = (error as Error).message;
    warn(`could not start the local environment: ${message}`);
    if (message.includes('EADDRINUSE')) warn(`port ${options.port} is in use: pick another with --port <n>, or --port 0 for any free port`);
    return EXIT.startFailed;
  }

  let died: string | undefined;
  void local.failed.then((reason) => (died = reason));
  try {
    for (const warning of local.spec.warnings) say(`note: ${formatWarning(warning)}`);
    if (local.timingChanges.length > 0) {
      say('--fast: shorter timeouts for this local run only (visibility stays >= 6 x function timeout; the deployed stacks are unchanged):');
      for (const line of describeTimingChanges(local.timingChanges)) say(`  ${line}`);
    }
    const demo = await startDemo(local, deliveries, { orders: options.orders, rate: options.rate, malformed: options.malformed, ...(io.signal ? { signal: io.signal } : {}) });
    banner(say, local, options, cwd, demo);

    view = new ProgressView(io.stdout, io.interactive, started);
    const status = (extra = '') =>
      `${((Date.now() - started) / 1000).toFixed(1)} s  orders: ${demo.orders.length}/${options.orders} answered by order-service, ${demo.malformed.length} malformed injected` +
      (demo.sendingDone() ? '' : ' (sending)') +
      extra;
    const refreshMs = io.interactive ? 500 : 2_000;
    const deadline = started + options.deadlineSeconds * 1000;
    let drawn = 0;
    let settledReadings = 0;
    let reported = false;
    let rows: QueueProgress[] = [];
    // Time to drain and error rate over the last minute, as the dashboard's widgets compute them.
    const health = new HealthWindow();
    let announced = false;
    // One loop for both modes: check every 250 ms whether the demo has settled, redraw at the
    // refresh rate. Settled = all sent and no queue holding anything, seen twice in a row.
    for (;;) {
      const stopped = io.signal?.aborted === true;
      if (stopped && !announced) {
        announced = true;
        warn(String(io.signal?.reason ?? 'stopping'));
      }
      if (died !== undefined) {
        view?.finish();
        view = undefined;
        warn(`the run stopped because ${died}`);
        return EXIT.died;
      }
      let unreachable = '';
      try {
        rows = await readProgress(local.pipeline);
        health.add(healthReading(local.pipeline, rows, Date.now()));
      } catch (error) {
        // The server is down (a restart is under way, or the run is about to stop): keep the last figures.
        unreachable = `  (queues unreachable: ${(error as Error).message})`;
      }
      settledReadings = !unreachable && demo.sendingDone() && isSettled(rows) ? settledReadings + 1 : 0;
      const settled = settledReadings >= 2;
      if (Date.now() - drawn >= refreshMs || settled || stopped) {
        view?.update(rows, status(unreachable), healthLine(health.current()));
        drawn = Date.now();
      }
      if (!reported && (settled || stopped || (options.once && Date.now() > deadline))) {
        reported = true;
        view?.finish();
        view = undefined;
        if (stopped && options.once) {
          say('interrupted before the demo finished');
          return EXIT.interrupted;
        }
        if (!settled && !stopped) say(`the demo did not settle within --deadline ${options.deadlineSeconds} s; checking what arrived`);
        const verdict = await demo.check();
        say('');
        say(`summary after ${((Date.now() - started) / 1000).toFixed(1)} s:`);
        for (const line of progressTable(rows)) say(`  ${line}`);
        for (const line of verdict.lines) say(`  ${line}`);
        if (brokenGroups > 0) say(`  warning: ${brokenGroups} FIFO batch response(s) failed a message but not the later ones of its group`);
        if (verdict.ok) say('PASS: every valid order reached the end of the pipeline and every malformed message is in a DLQ');
        else if (stopped && !settled) {
          // Stopped before the demo settled (malformed messages need maxReceiveCount × visibility):
          // report what arrived without calling it a failure.
          say('stopped before the demo settled: the figures above are what had arrived');
        } else {
          say(`FAIL: see above; function logs and invocations.jsonl are in ${displayPath(cwd, at(options.logDir))}`);
          if (options.failureRate > 0) say(`(with --failure-rate, a valid order that fails maxReceiveCount times in a row is dead-lettered: that is the behaviour it shows)`);
        }
        if (options.once) return verdict.ok ? EXIT.ok : EXIT.checkFailed;
        if (!stopped) {
          say('still serving: send orders to the order-service URL above, or from an app after `. .local/env`; Ctrl-C to stop');
          view = new ProgressView(io.stdout, io.interactive, started);
        }
      }
      if (stopped) return EXIT.ok;
      await sleep(250, io.signal);
    }
  } finally {
    view?.finish();
    view = undefined;
    const stopping = Date.now();
    await local.stop();
    if (died === undefined) say(`stopped cleanly in ${((Date.now() - stopping) / 1000).toFixed(1)} s; ${displayPath(cwd, at(options.outputsFile))} and ${displayPath(cwd, at(options.envFile))} removed`);
  }
}

function banner(say: (line: string) => void, local: LocalEnvironment, options: StartOptions, cwd: string, demo: RunningDemo): void {
  const relative = (file: string) => displayPath(cwd, path.resolve(cwd, file));
  say('');
  say(`embedded SQS endpoint  ${local.endpoint}  (region ${local.region}${options.dataDir ? `, persisted in ${options.dataDir}: restarted if it dies` : ', in memory'})`);
  say(`outputs for apps       ${relative(options.outputsFile)}; for a shell: . ${relative(options.envFile)}`);
  if (demo.producer?.url) say(`${demo.producer.fn.name} URL      ${demo.producer.url}  (POST one order or {"orders": [...]}, header x-correlation-id)`);
  say(`logs                   ${relative(options.logDir)}/<function>.log, ${relative(options.logDir)}/invocations.jsonl (one record per invocation)`);
  for (const consumer of local.pipeline.consumers) {
    const consumes = consumer.fn.consumes!;
    say(
      `${consumer.queue.spec.queueName} -> ${consumer.fn.functionName}: batch ${consumes.batchSize}, window ${consumes.maximumBatchingWindowSeconds} s, ` +
        `concurrency ${consumer.concurrency}, visibility ${consumer.queue.spec.visibilityTimeoutSeconds} s, timeout ${consumer.fn.timeoutSeconds} s, ` +
        `maxReceiveCount ${consumer.queue.spec.maxReceiveCount}`,
    );
  }
  for (const line of local.pipeline.disabled) say(`not started: ${line}`);
  if (options.failureRate > 0) say(`failure injection: ${Math.round(options.failureRate * 100)} % of records are failed by the local mappings`);
  if (demo.target && demo.malformed.length > 0) {
    const { spec } = demo.target;
    say(
      `${demo.malformed.length} malformed message(s) put on ${spec.queueName}: each reaches ${spec.deadLetterQueueName} after ` +
        `${spec.maxReceiveCount} failed receives, about ${spec.maxReceiveCount * spec.visibilityTimeoutSeconds} s${options.fast ? '' : ' (--fast shortens this)'}`,
    );
  }
  say('');
}

/** Short paths inside the working folder, absolute ones elsewhere. */
function displayPath(cwd: string, file: string): string {
  const short = path.relative(cwd, file);
  return short === '' || short.startsWith('..') ? file : short;
}
