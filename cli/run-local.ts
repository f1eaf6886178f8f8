/**
 * `npm start`: the development environment end to end on this machine. Boots the embedded SQS
 * server, provisions the development queues from the resolved spec, bundles and starts the Lambdas
 * (consumers behind local event source mappings, order-service behind a local function URL), writes
 * the outputs file, sends the demo traffic and shows progress. With `once`, waits for the demo to
 * settle, checks it and returns the exit status; otherwise serves until `signal` aborts.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { bundleLambda } from '../bundling/bundle-lambda';
import { buildGraph, describeTimingChanges, formatWarning, SpecValidationError, withScaledTimings, type EnvironmentGraph } from '../model';
import { environments } from '../stacks/environments';
import { topology } from '../stacks/topology';
import { DeliveryLog } from '../local/delivery-log';
import { checkDemo } from '../local/demo-check';
import { injectMalformedMessages, sendDemoOrders, type DemoOrderResult } from '../local/demo-traffic';
import { localOutputs, writeOutputsFile } from '../local/outputs';
import { startLocalPipeline, type LocalPipeline } from '../local/pipeline';
import { isSettled, readProgress } from '../local/progress';
import { sleep } from '../local/sleep';
import { startLocalSqs, type LocalSqs } from '../local/sqs-server';
import type { StartOptions } from './options';
import { progressTable, ProgressView, type Output } from './progress-view';

export interface RunIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Redraw progress in place (a terminal, not CI). */
  readonly interactive: boolean;
  /** Aborted on Ctrl-C: stop serving (or give up on --once) and shut down cleanly. */
  readonly signal?: AbortSignal;
  /** Folder relative paths are resolved against. @default process.cwd() */
  readonly cwd?: string;
}

/** Exit statuses. */
export const EXIT = { ok: 0, checkFailed: 1, startFailed: 1, interrupted: 130 } as const;

export async function runLocal(options: StartOptions, io: RunIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const say = (line: string) => io.stdout.write(line + '\n');
  const warn = (line: string) => io.stderr.write(line + '\n');
  const started = Date.now();

  let graph: EnvironmentGraph;
  try {
    graph = buildGraph(topology, environments, 'development');
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    warn(`the development environment is not valid:\n${error.message}`);
    return EXIT.startFailed;
  }
  for (const warning of graph.settings.warnings) say(`note: ${formatWarning(warning)}`);
  if (options.fast) {
    const fast = withScaledTimings(graph);
    graph = fast.graph;
    say('--fast: shorter timeouts for this local run only (visibility stays >= 6 x function timeout; the deployed stacks are unchanged):');
    for (const line of describeTimingChanges(fast.changes)) say(`  ${line}`);
  }

  const logDir = path.resolve(cwd, options.logDir);
  mkdirSync(logDir, { recursive: true });
  const logFiles = new Map<string, WriteStream>();
  const deliveries = new DeliveryLog();
  let brokenGroups = 0;
  const lastError = new Map<string, number>();
  let view: ProgressView | undefined;
  const note = (line: string) => (view ? view.log(line) : warn(line));

  let sqs: LocalSqs | undefined;
  let pipeline: LocalPipeline | undefined;
  try {
    try {
      sqs = await startLocalSqs({ port: options.port, ...(options.dataDir ? { dataDir: path.resolve(cwd, options.dataDir) } : {}) });
    } catch (error) {
      const message = (error as Error).message;
      warn(`could not start the embedded SQS server on 127.0.0.1:${options.port}: ${message}`);
      if (message.includes('EADDRINUSE')) warn(`port ${options.port} is in use: pick another with --port <n>, or --port 0 for any free port`);
      return EXIT.startFailed;
    }
    say(`bundling ${graph.settings.functions.map((fn) => fn.name).join(', ')} ...`);
    pipeline = await startLocalPipeline({
      graph,
      server: sqs,
      bundle: (fn) => bundleLambda(fn.entry).file,
      defaultConcurrency: options.concurrency,
      failureRate: options.failureRate,
      onLogLine: (functionName, line) => {
        let file = logFiles.get(functionName);
        if (!file) logFiles.set(functionName, (file = createWriteStream(path.join(logDir, `${functionName}.log`), { flags: 'w' })));
        file.write(line + '\n');
      },
      onInvocation: (report) => {
        deliveries.record(report);
        if (report.brokenGroups.length > 0) brokenGroups++;
      },
      onError: (functionName, error, during) => {
        // At most one line per function and second: a stopped server would otherwise flood.
        if (Date.now() - (lastError.get(functionName) ?? 0) < 1_000) return;
        lastError.set(functionName, Date.now());
        note(`${functionName}: ${during} failed (${error.name}: ${error.message}); retrying`);
      },
    });
    const outputsFile = path.resolve(cwd, options.outputsFile);
    writeOutputsFile(outputsFile, localOutputs(graph, pipeline.references, sqs));

    const producer = pipeline.producers.find((candidate) => candidate.url && candidate.fn.publishesTo.length > 0);
    banner(say, { sqs, pipeline, outputsFile, logDir, options, producerUrl: producer?.url, cwd });
    for (const line of pipeline.disabled) say(`not started: ${line}`);

    // Demo traffic: malformed messages straight on the queue the producer publishes to, and the
    // valid orders through the producer's function URL.
    const runId = Date.now().toString(36);
    const target = producer ? pipeline.queues.find((queue) => queue.spec.name === producer.fn.publishesTo[0]) : undefined;
    const malformed = target && options.malformed > 0 ? await injectMalformedMessages(pipeline.client, target.queueUrl, options.malformed, runId) : [];
    if (target && malformed.length > 0) {
      const wait = target.spec.maxReceiveCount * target.spec.visibilityTimeoutSeconds;
      say(
        `${malformed.length} malformed message(s) put on ${target.spec.queueName}: each reaches ${target.spec.deadLetterQueueName} after ` +
          `${target.spec.maxReceiveCount} failed receives, about ${wait} s${options.fast ? '' : ' (--fast shortens this)'}`,
      );
    }
    const orders: DemoOrderResult[] = [];
    const sending = producer?.url
      ? sendDemoOrders(producer.url, {
          count: options.orders,
          ratePerSecond: options.rate,
          runId,
          ...(io.signal ? { signal: io.signal } : {}),
          onResult: (result) => orders.push(result),
        })
      : Promise.resolve([]);
    let sendingDone = false;
    void sending.then(() => (sendingDone = true));

    view = new ProgressView(io.stdout, io.interactive);
    const status = () =>
      `${((Date.now() - started) / 1000).toFixed(1)} s  orders: ${orders.length}/${options.orders} answered by order-service, ${malformed.length} malformed injected` +
      (sendingDone ? '' : ' (sending)');
    const refreshMs = io.interactive ? 500 : 2_000;
    const deadline = started + options.deadlineSeconds * 1000;
    let drawn = 0;
    let settledReadings = 0;
    let reported = false;
    // One loop for both modes: check every 250 ms whether the demo has settled, redraw at the
    // refresh rate. Settled = all sent and no queue holding anything, seen twice in a row.
    for (;;) {
      const stopped = io.signal?.aborted === true;
      const rows = await readProgress(pipeline);
      settledReadings = sendingDone && isSettled(rows) ? settledReadings + 1 : 0;
      const settled = settledReadings >= 2;
      if (Date.now() - drawn >= refreshMs || settled || stopped) {
        view.update(rows, status());
        drawn = Date.now();
      }
      if (!reported && (settled || stopped || (options.once && Date.now() > deadline))) {
        reported = true;
        view.finish();
        if (stopped && options.once) {
          say('interrupted before the demo finished');
          return EXIT.interrupted;
        }
        if (!settled && !stopped) say(`the demo did not settle within --deadline ${options.deadlineSeconds} s; checking what arrived`);
        const verdict = await checkDemo({ pipeline, deliveries, orders, malformed });
        say('');
        say(`summary after ${((Date.now() - started) / 1000).toFixed(1)} s:`);
        for (const line of progressTable(rows)) say(`  ${line}`);
        for (const line of verdict.lines) say(`  ${line}`);
        if (brokenGroups > 0) say(`  warning: ${brokenGroups} FIFO batch response(s) failed a message but not the later ones of its group`);
        if (verdict.ok) say('PASS: every valid order reached the end of the pipeline and every malformed message is in a DLQ');
        else if (stopped && !settled) {
          // Ctrl-C before the demo settled (malformed messages need maxReceiveCount × visibility):
          // report what arrived without calling it a failure.
          say('stopped before the demo settled: the figures above are what had arrived');
        } else {
          say(`FAIL: see above; function logs are in ${displayPath(cwd, logDir)}`);
          if (options.failureRate > 0) say(`(with --failure-rate, a valid order that fails maxReceiveCount times in a row is dead-lettered: that is the behaviour it shows)`);
        }
        if (options.once) return verdict.ok ? EXIT.ok : EXIT.checkFailed;
        if (!stopped) say('still serving: send orders to the order-service URL above; Ctrl-C to stop');
      }
      if (stopped) return EXIT.ok;
      await sleep(250, io.signal);
    }
  } finally {
    view?.finish();
    const stopping = Date.now();
    if (pipeline) await pipeline.stop();
    if (sqs) await sqs.stop();
    await Promise.all([...logFiles.values()].map((file) => new Promise<void>((resolve) => file.end(() => resolve()))));
    if (pipeline) say(`stopped cleanly in ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
  }
}

function banner(
  say: (line: string) => void,
  context: { sqs: LocalSqs; pipeline: LocalPipeline; outputsFile: string; logDir: string; options: StartOptions; producerUrl: string | undefined; cwd: string },
): void {
  const { sqs, pipeline, outputsFile, logDir, options, producerUrl, cwd } = context;
  const relative = (file: string) => displayPath(cwd, file);
  say('');
  say(`embedded SQS endpoint  ${sqs.endpoint}  (region ${sqs.region}${options.dataDir ? `, persisted in ${options.dataDir}` : ', in memory'})`);
  say(`outputs for apps       ${relative(outputsFile)}`);
  if (producerUrl) say(`order-service URL      ${producerUrl}  (POST one order or {"orders": [...]}, header x-correlation-id)`);
  say(`function logs          ${relative(logDir)}/<function>.log`);
  for (const consumer of pipeline.consumers) {
    const consumes = consumer.fn.consumes!;
    say(
      `${consumer.queue.spec.queueName} -> ${consumer.fn.functionName}: batch ${consumes.batchSize}, window ${consumes.maximumBatchingWindowSeconds} s, ` +
        `concurrency ${consumer.concurrency}, visibility ${consumer.queue.spec.visibilityTimeoutSeconds} s, timeout ${consumer.fn.timeoutSeconds} s, ` +
        `maxReceiveCount ${consumer.queue.spec.maxReceiveCount}`,
    );
  }
  if (options.failureRate > 0) say(`failure injection: ${Math.round(options.failureRate * 100)} % of records are failed by the local mappings`);
  say('');
}

/** Short paths inside the working folder, absolute ones elsewhere. */
function displayPath(cwd: string, file: string): string {
  const short = path.relative(cwd, file);
  return short === '' || short.startsWith('..') ? file : short;
}
