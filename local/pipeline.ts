/**
 * An environment's whole pipeline on the embedded server, rendered from its graph: the queues
 * provisioned from the graph's SQS nodes, every event source mapping node driven by a local event
 * source mapping with the node's settings, every other function (the producer) behind a local
 * function URL. The caller starts the server and decides how functions are bundled.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { EnvironmentGraph, ResolvedEnvironment, ResolvedFunction } from '../model';
import { EventSourceMapping, type InvocationReport, type MappingStage } from './event-source-mapping';
import { localFunctionEnvironment, type LocalServerInfo } from './function-environment';
import { startFunctionUrlServer, type FunctionUrlServer } from './function-url-server';
import { LambdaPool } from './lambda-pool';
import { LambdaProcess, type EnvironmentExit, type InvokeOutcome } from './lambda-process';
import type { LocalReferences } from './local-references';
import { provisionGraph, type ProvisionedQueue } from './provision';
import { createLocalDynamoDbClient } from './dynamodb-client';
import { createLocalSqsClient } from './sqs-client';

export interface LocalPipelineOptions {
  /** The environment's graph (normally `development`, possibly with `withScaledTimings` applied). */
  readonly graph: EnvironmentGraph;
  readonly server: LocalServerInfo;
  /** Returns the bundled `.mjs` file of a function (called once per function, before anything starts). */
  readonly bundle: (fn: ResolvedFunction) => string;
  /**
   * Execution environments per consumer whose spec sets no `maximumConcurrency` (AWS would scale
   * up to the account limit; a laptop should not). Range 1 – 100. @default 2
   */
  readonly defaultConcurrency?: number;
  /** Execution environments behind each function URL. Range 1 – 100. @default 2 */
  readonly producerConcurrency?: number;
  /** Share of records the mappings fail on purpose (see failure-injection.ts). Range 0 – 1. @default 0 */
  readonly failureRate?: number;
  /** Long-poll wait of the mappings' receives. Range 0 – 20 s. @default 20 */
  readonly waitTimeSeconds?: number;
  /** Every line a function writes (structured logs, EMF metrics). @default discard */
  readonly onLogLine?: (functionName: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** Every settled batch of every mapping. */
  readonly onInvocation?: (report: InvocationReport) => void;
  /** Every invocation through a local function URL (the producers). */
  readonly onUrlInvocation?: (functionName: string, outcome: InvokeOutcome) => void;
  /** SQS errors a mapping recovered from. @default discard */
  readonly onError?: (functionName: string, error: Error, during: MappingStage) => void;
  /** An execution environment died without being asked to; the next invocation replaces it. @default ignore */
  readonly onEnvironmentExit?: (exit: EnvironmentExit) => void;
}

export interface LocalConsumer {
  readonly fn: ResolvedFunction;
  readonly queue: ProvisionedQueue;
  readonly mapping: EventSourceMapping;
  readonly concurrency: number;
}

export interface LocalProducer {
  readonly fn: ResolvedFunction;
  readonly pool: LambdaPool;
  /** The local function URL, when the function has one in the spec. */
  readonly url?: string;
}

export interface LocalPipeline {
  readonly graph: EnvironmentGraph;
  readonly environment: ResolvedEnvironment;
  /** Every node's local attributes (queue URLs, the function URLs), for outputs. */
  readonly references: LocalReferences;
  readonly client: SQSClient;
  readonly queues: readonly ProvisionedQueue[];
  readonly consumers: readonly LocalConsumer[];
  readonly producers: readonly LocalProducer[];
  /** Functions left out locally (reserved concurrency 0), with the reason. */
  readonly disabled: readonly string[];
  /** Provisions the graph again (idempotent), e.g. after a server restarted with its data. */
  provision(): Promise<void>;
  /** Process ids of every running execution environment. */
  pids(): number[];
  /**
   * Changes the share of records every mapping fails on purpose, 0 – 1; turning it to 0 plays
   * "the fixed consumer is deployed" when rehearsing a redrive.
   */
  setFailureRate(rate: number): void;
  /** Stops producers, then mappings (in-flight batches get their function timeout to finish). */
  stop(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const { graph, server } = options;
  const environment = graph.settings;
  // Bundle first: a build error should stop the run before any process starts.
  const bundles = new Map(environment.functions.map((fn) => [fn.name, options.bundle(fn)]));
  const client = createLocalSqsClient(server.endpoint, server.region);
  const dynamoDb = server.dynamoDbEndpoint ? createLocalDynamoDbClient(server.dynamoDbEndpoint, server.region) : undefined;
  const provision = () => provisionGraph(client, graph, { endpoint: server.endpoint, region: server.region, ...(dynamoDb ? { dynamoDb } : {}) });
  const consumers: LocalConsumer[] = [];
  const producers: LocalProducer[] = [];
  const urlServers: FunctionUrlServer[] = [];
  const disabled: string[] = [];
  const stop = async () => {
    await Promise.all(urlServers.map((urlServer) => urlServer.stop()));
    await Promise.all(producers.map((producer) => producer.pool.stop()));
    await Promise.all(consumers.map((consumer) => consumer.mapping.stop(consumer.fn.timeoutSeconds * 1000 + 2_000)));
    client.destroy();
    dynamoDb?.destroy();
  };

  try {
    const { queues, references } = await provision();
    const nodesOf = (fn: ResolvedFunction) => graph.pieces.functions.find((piece) => piece.settings.name === fn.name)!.nodes;
    const instance = (fn: ResolvedFunction) => () =>
      new LambdaProcess({
        functionName: fn.functionName,
        bundleFile: bundles.get(fn.name)!,
        environment: localFunctionEnvironment(nodesOf(fn).function, references, server),
        timeoutMs: nodesOf(fn).function.properties.Timeout * 1000,
        ...(options.onLogLine ? { onLogLine: (line: string, stream: 'stdout' | 'stderr') => options.onLogLine!(fn.functionName, line, stream) } : {}),
        ...(options.onEnvironmentExit ? { onUnexpectedExit: options.onEnvironmentExit } : {}),
      });

    for (const fn of environment.functions) {
      if (fn.reservedConcurrency === 0) {
        disabled.push(`${fn.functionName}: reserved concurrency 0 (the function is switched off)`);
        continue;
      }
      const cap = fn.reservedConcurrency ?? Infinity;
      if (!fn.consumes) {
        const pool = new LambdaPool(Math.min(cap, options.producerConcurrency ?? 2), instance(fn));
        let url: string | undefined;
        const urlNode = nodesOf(fn).url;
        if (urlNode) {
          const urlServer = await startFunctionUrlServer({
            invoke: async (event) => {
              const outcome = await pool.invoke(event);
              options.onUrlInvocation?.(fn.functionName, outcome);
              return outcome;
            },
          });
          urlServers.push(urlServer);
          url = urlServer.url;
          references.set(urlNode.id, { functionUrl: url });
        }
        producers.push({ fn, pool, ...(url ? { url } : {}) });
        continue;
      }
      // The event source mapping node's settings, as Lambda would read them.
      const mappingNode = nodesOf(fn).eventSourceMapping!.properties;
      const queueArn = references.resolve(mappingNode.EventSourceArn);
      const queue = queues.find((candidate) => candidate.queueArn === queueArn)!;
      const concurrency = Math.min(cap, mappingNode.ScalingConfig?.MaximumConcurrency ?? options.defaultConcurrency ?? 2);
      const mapping = new EventSourceMapping({
        functionName: fn.functionName,
        client,
        queueUrl: queue.queueUrl,
        queueArn: queue.queueArn,
        region: server.region,
        fifo: queue.spec.fifo,
        maxReceiveCount: queue.spec.maxReceiveCount,
        batchSize: mappingNode.BatchSize,
        maximumBatchingWindowSeconds: mappingNode.MaximumBatchingWindowInSeconds,
        concurrency,
        ...(options.waitTimeSeconds !== undefined ? { waitTimeSeconds: options.waitTimeSeconds } : {}),
        createFunction: instance(fn),
        ...(options.failureRate ? { failureInjection: { rate: options.failureRate } } : {}),
        ...(options.onInvocation ? { onInvocation: options.onInvocation } : {}),
        ...(options.onError ? { onError: (error: Error, during: MappingStage) => options.onError!(fn.functionName, error, during) } : {}),
      });
      consumers.push({ fn, queue, mapping, concurrency });
      mapping.start();
    }
    return {
      graph,
      environment,
      references,
      client,
      queues,
      consumers,
      producers,
      disabled,
      provision: async () => {
        await provision();
      },
      pids: () => [...producers.flatMap((producer) => producer.pool.pids), ...consumers.flatMap((consumer) => consumer.mapping.pids)],
      setFailureRate: (rate) => {
        for (const consumer of consumers) consumer.mapping.setFailureRate(rate);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
