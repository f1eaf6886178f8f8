/**
 * The local emulator as a library: one call starts an environment of *your* topology on this
 * machine — an embedded SQS server on 127.0.0.1, the environment's queue/DLQ pairs provisioned from
 * its graph, an embedded DynamoDB server with the idempotency table when the environment has one,
 * every consumer bundled and driven by a local event source mapping with AWS's batch semantics,
 * every function URL served on loopback — and returns the endpoints, the outputs and `stop()`. It is what `npm start` runs, and what a team's own Jest test starts on port 0 to run
 * its handlers against real queues:
 *
 * ```ts
 * const local = await startLocalEnvironment({ topology, environments, environment: 'development' });
 * await sqs.send(new SendMessageCommand({ QueueUrl: local.queues.payments.queueUrl, MessageBody: '…' }));
 * …
 * await local.stop();
 * ```
 *
 * The run is supervised: an execution environment that dies (idle or busy) is replaced, its batch
 * counting as failed as in AWS; a server that dies is restarted on the same port and data directory
 * when there is one, and otherwise the environment stops itself and `failed` names what died.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { bundleLambda } from '../bundling/bundle-lambda';
import {
  buildGraph,
  withScaledTimings,
  type EnvironmentGraph,
  type EnvironmentProfiles,
  type ResolvedEnvironment,
  type ResolvedFunction,
  type TimingChange,
  type Topology,
} from '../model';
import { startLocalDynamoDb, type LocalDynamoDb } from './dynamodb-server';
import type { InvocationReport, MappingStage } from './event-source-mapping';
import { InvocationLog } from './invocation-log';
import type { EnvironmentExit } from './lambda-process';
import { localEnvFile, localOutputs, removeRunFiles, writeAtomically, type LocalOutputs } from './outputs';
import { startLocalPipeline, type LocalPipeline } from './pipeline';
import type { ProvisionedQueue } from './provision';
import { checkLocalRequirements } from './runtime-requirements';
import { ServerSupervisor, type ServerEvent } from './server-supervisor';
import { startLocalSqs, type LocalSqs } from './sqs-server';

/** Region used when the environment's profile names none (the embedded server needs one). */
export const DEFAULT_LOCAL_REGION = 'us-east-1';

export interface LocalEnvironmentOptions {
  /** Your topology (queues and functions), as for the stacks. */
  readonly topology: Topology;
  /** Your environment profiles. */
  readonly environments: EnvironmentProfiles;
  /** Which environment to run: a key of `environments`. @default 'development' */
  readonly environment?: string;
  /** Port of the embedded SQS server on 127.0.0.1. Range 0 – 65,535. @default 0 (a free port) */
  readonly port?: number;
  /**
   * Folder where the servers keep their data: queues and messages in `<dataDir>/sqs` (SQLite),
   * the idempotency table in `<dataDir>/dynamodb` (LevelDB); with it a server that dies is
   * restarted with its data. @default undefined (in memory: a dead server stops the environment)
   */
  readonly dataDir?: string;
  /** Divide visibility and function timeouts by 10 (see model/resolve/time-scale.ts). @default false */
  readonly fast?: boolean;
  /** Execution environments per consumer without `maximumConcurrency`. Range 1 – 100. @default 2 */
  readonly concurrency?: number;
  /** Execution environments behind each function URL. Range 1 – 100. @default 2 */
  readonly producerConcurrency?: number;
  /** Share of records the mappings fail on purpose. Range 0 – 1. @default 0 */
  readonly failureRate?: number;
  /** Long-poll wait of the mappings' receives. Range 0 – 20 s. @default 20 (as Lambda's pollers) */
  readonly waitTimeSeconds?: number;
  /** The bundled `.mjs` of a function. @default bundleLambda (esbuild, as the deploys) */
  readonly bundle?: (fn: ResolvedFunction) => string;
  /**
   * Folder for `<function>.log` (everything a function writes) and `invocations.jsonl` (one record
   * per invocation: outcome, failed ids, reason). @default undefined (no files)
   */
  readonly logDir?: string;
  /** Write the outputs (`cdktf --outputs-file` shape) here; removed by `stop()`. @default undefined */
  readonly outputsFile?: string;
  /** Write a shell-sourceable env file (endpoint, region, credentials, queue URLs) here; removed by `stop()`. @default undefined */
  readonly envFile?: string;
  /** Every settled batch of every consumer. */
  readonly onInvocation?: (report: InvocationReport) => void;
  /** Every line a function writes. */
  readonly onLogLine?: (functionName: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** What the supervisor saw (an environment or the server died, the server came back). */
  readonly onEvent?: (event: LocalEnvironmentEvent) => void;
}

/** What the supervisor saw: one line for a person (`message`) plus the details. */
export type LocalEnvironmentEvent = { readonly message: string } & (
  | { readonly kind: 'environment-died'; readonly exit: EnvironmentExit }
  | ServerEvent
  | { readonly kind: 'mapping-error'; readonly functionName: string; readonly during: MappingStage; readonly error: Error }
);

/** Addresses of one queue pair. */
export interface LocalQueue {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
}

export interface LocalEnvironment {
  /** The environment's graph that runs (with `fast` timings applied when asked). */
  readonly graph: EnvironmentGraph;
  /** The resolved environment that runs (the graph's settings). */
  readonly spec: ResolvedEnvironment;
  /** What `fast` changed. */
  readonly timingChanges: readonly TimingChange[];
  /** `http://127.0.0.1:<port>`: the SDK's `endpoint`. */
  readonly endpoint: string;
  /** The embedded DynamoDB server's endpoint, when the environment has an idempotency table. */
  readonly dynamoDbEndpoint?: string;
  /** The environment profile's region, or {@link DEFAULT_LOCAL_REGION}. */
  readonly region: string;
  /** An SDK client for the embedded server (placeholder credentials); destroyed by `stop()`. */
  readonly client: SQSClient;
  /** Queue pairs by logical name (`order` → URLs and ARNs). */
  readonly queues: Readonly<Record<string, LocalQueue>>;
  /** Local function URLs by logical function name. */
  readonly functionUrls: Readonly<Record<string, string>>;
  /** Every output the deployed stack has, under the environment's name. */
  readonly outputs: LocalOutputs;
  /** The running pieces (mappings, pools, provisioned queues), for progress and tests. */
  readonly pipeline: LocalPipeline;
  /** Operating-system process ids: the servers (current ones) and every execution environment. */
  pids(): { readonly server: number; readonly dynamoDb?: number; readonly functions: readonly number[] };
  /**
   * Settles when the environment stopped by itself because something it cannot replace died (the
   * in-memory server), with the reason. Never settles while it runs or after `stop()`.
   */
  readonly failed: Promise<string>;
  /**
   * Stops the function URLs, lets in-flight batches finish (each within its function timeout),
   * stops every process and removes the outputs and env files. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Starts the environment (see the top of this file). Needs Node.js 22.5 or later and, installed in
 * the project, the optional peer dependencies fauxqs and — when the environment has functions (and so
 * an idempotency table) — dynalite and @aws-sdk/client-dynamodb.
 * @throws LocalRequirementError before anything starts when one of those is missing (the message has the install command)
 * @throws SpecValidationError when the topology or the profiles are invalid
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
  let graph = buildGraph(options.topology, options.environments, options.environment ?? 'development');
  // Before anything starts: too old a Node or a missing optional peer is one error that says what to install.
  checkLocalRequirements({ idempotencyTable: graph.pieces.idempotencyTable !== undefined });
  let timingChanges: TimingChange[] = [];
  if (options.fast) ({ graph, changes: timingChanges } = withScaledTimings(graph));
  const spec = graph.settings;
  const region = spec.region ?? DEFAULT_LOCAL_REGION;
  const emit = (event: LocalEnvironmentEvent) => options.onEvent?.(event);

  const logDir = options.logDir;
  if (logDir) mkdirSync(logDir, { recursive: true });
  const logFiles = new Map<string, WriteStream>();
  const invocationLog = logDir ? new InvocationLog(path.join(logDir, 'invocations.jsonl')) : undefined;
  const bundle = options.bundle ?? defaultBundler(spec);
  const dataDirOf = (server: 'sqs' | 'dynamodb') => (options.dataDir ? { dataDir: path.join(options.dataDir, server) } : {});

  const supervisors: ServerSupervisor<LocalSqs | LocalDynamoDb>[] = [];
  let pipeline: LocalPipeline | undefined;
  let unsettledDuringOutage: number | undefined;
  const written: { file: string; text: string }[] = [];
  let stopping: Promise<void> | undefined;
  let failWith: (reason: string) => void = () => {};
  const failed = new Promise<string>((resolve) => (failWith = resolve));
  let sqs: LocalSqs | undefined;
  let dynamoDb: LocalDynamoDb | undefined;

  const stop = () =>
    (stopping ??= (async () => {
      removeRunFiles(written);
      await pipeline?.stop();
      if (supervisors.length > 0) await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
      else await Promise.all([sqs?.stop(), dynamoDb?.stop()]);
      await invocationLog?.close();
      await Promise.all([...logFiles.values()].map((file) => new Promise<void>((resolve) => file.end(() => resolve()))));
    })());

  try {
    sqs = await startLocalSqs({ port: options.port ?? 0, region, ...dataDirOf('sqs') });
    // Only where a function remembers handled events: the table is the environment's.
    if (graph.pieces.idempotencyTable) dynamoDb = await startLocalDynamoDb({ region, ...dataDirOf('dynamodb') });
    pipeline = await startLocalPipeline({
      graph,
      server: { endpoint: sqs.endpoint, region, ...(dynamoDb ? { dynamoDbEndpoint: dynamoDb.endpoint } : {}) },
      bundle,
      ...(options.concurrency !== undefined ? { defaultConcurrency: options.concurrency } : {}),
      ...(options.producerConcurrency !== undefined ? { producerConcurrency: options.producerConcurrency } : {}),
      ...(options.failureRate ? { failureRate: options.failureRate } : {}),
      ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
      onLogLine: (functionName, line, stream) => {
        if (logDir) {
          let file = logFiles.get(functionName);
          if (!file) {
            logFiles.set(functionName, (file = createWriteStream(path.join(logDir, `${functionName}.log`), { flags: 'w' })));
            file.on('error', () => {});
          }
          file.write(line + '\n');
        }
        options.onLogLine?.(functionName, line, stream);
      },
      onInvocation: (report) => {
        if (unsettledDuringOutage !== undefined) unsettledDuringOutage += report.undeleted.length;
        invocationLog?.record(report);
        options.onInvocation?.(report);
      },
      onUrlInvocation: (functionName, outcome) => invocationLog?.recordUrlInvocation(functionName, outcome),
      onError: (functionName, error, during) =>
        emit({ kind: 'mapping-error', functionName, during, error, message: `${functionName}: ${during} failed (${error.name}: ${error.message}); retrying` }),
      onEnvironmentExit: (exit) => {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        const message =
          `${exit.functionName}: execution environment (pid ${exit.pid}) ${how} while ${exit.during === 'idle' ? 'idle' : exit.during === 'init' ? 'starting' : 'running a batch'}` +
          `${exit.reason ? ` (${exit.reason})` : ''}; ${exit.during === 'invocation' ? 'the batch counts as failed and returns after its visibility timeout; ' : ''}` +
          'the next invocation starts a fresh one';
        invocationLog?.note('environment-died', { function: exit.functionName, pid: exit.pid, code: exit.code, signal: exit.signal, during: exit.during, reason: exit.reason });
        emit({ kind: 'environment-died', exit, message });
      },
    });
    const running = pipeline;
    const onServerEvent = (event: ServerEvent) => {
      let message: string;
      if (event.kind === 'server-died') {
        unsettledDuringOutage ??= 0;
        message = `the ${event.server} (pid ${event.pid}) died (${event.exit.signal ?? `code ${event.exit.code}`}); restarting it on the same port with its data directory`;
      } else if (event.kind === 'server-restarted') {
        const unsettled = unsettledDuringOutage ?? 0;
        unsettledDuringOutage = undefined;
        message =
          `the ${event.server} is back (pid ${event.pid}, port ${event.port}, restart ${event.attempt}); its data restored from its data directory; ` +
          `${unsettled} processed message(s) could not be deleted while it was down and will be delivered again`;
      } else {
        message = `stopping: ${event.reason}`;
        void stop();
        failWith(event.reason);
      }
      invocationLog?.note(event.kind, { server: event.server, message });
      emit({ ...event, message });
    };
    const supervise = (name: string, holds: string, server: LocalSqs | LocalDynamoDb, start: typeof startLocalSqs | typeof startLocalDynamoDb) =>
      supervisors.push(
        new ServerSupervisor<LocalSqs | LocalDynamoDb>({
          name,
          holds,
          server,
          restart: (port, dataDir) => start({ port, region, dataDir }),
          afterRestart: () => running.provision(),
          onEvent: onServerEvent,
        }),
      );
    supervise('embedded SQS server', 'messages', sqs, startLocalSqs);
    if (dynamoDb) supervise('embedded DynamoDB server', 'records of handled events', dynamoDb, startLocalDynamoDb);

    const server = { endpoint: sqs.endpoint, region };
    const outputs = localOutputs(graph, pipeline.references, server);
    if (options.outputsFile) written.push({ file: options.outputsFile, text: JSON.stringify(outputs, null, 2) + '\n' });
    if (options.envFile) written.push({ file: options.envFile, text: localEnvFile(graph, pipeline.references, pipeline.queues, server, options.outputsFile && path.resolve(options.outputsFile)) });
    for (const { file, text } of written) writeAtomically(file, text);

    const [sqsSupervisor, dynamoDbSupervisor] = supervisors;
    return {
      graph,
      spec,
      timingChanges,
      endpoint: sqs.endpoint,
      ...(dynamoDb ? { dynamoDbEndpoint: dynamoDb.endpoint } : {}),
      region,
      client: pipeline.client,
      queues: Object.fromEntries(pipeline.queues.map((queue) => [queue.spec.name, addresses(queue)])),
      functionUrls: Object.fromEntries(pipeline.producers.filter((producer) => producer.url).map((producer) => [producer.fn.name, producer.url!])),
      outputs,
      pipeline,
      pids: () => ({
        server: sqsSupervisor!.server.pid,
        ...(dynamoDbSupervisor ? { dynamoDb: dynamoDbSupervisor.server.pid } : {}),
        functions: running.pids(),
      }),
      failed,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function addresses(queue: ProvisionedQueue): LocalQueue {
  return { queueUrl: queue.queueUrl, queueArn: queue.queueArn, deadLetterQueueUrl: queue.deadLetterQueueUrl, deadLetterQueueArn: queue.deadLetterQueueArn };
}

/**
 * esbuild bundles in the deploys' folders (`.build/lambdas/<folder of the entry>`), except when two
 * functions' entries share a folder: those get a folder of their own so neither overwrites the other.
 */
function defaultBundler(spec: ResolvedEnvironment): (fn: ResolvedFunction) => string {
  const folders = spec.functions.map((fn) => path.dirname(path.resolve(fn.entry)));
  return (fn) => {
    const shared = folders.filter((folder) => folder === path.dirname(path.resolve(fn.entry))).length > 1;
    return bundleLambda(fn.entry, shared ? { outDir: path.join(process.cwd(), '.build', 'lambdas', 'local', fn.functionName) } : {}).file;
  };
}
