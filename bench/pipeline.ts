/**
 * Local pipeline benchmark: end-to-end throughput of the development pipeline on the embedded
 * servers (orders through order-service → inventory-service → shipping-service →
 * notification-service, every hop a bundled Lambda in its own process), run twice in the same
 * process — without the idempotency table (the same pipeline with no DynamoDB server, so the
 * functions run with `POWERTOOLS_IDEMPOTENCY_DISABLED`) and with it, as `startLocalEnvironment`
 * runs it (the embedded DynamoDB server holding the table) — and what idempotency costs per
 * message between the two. Both with the topology's own timings (not `--fast`: order-service's
 * 100-order invocations with idempotency take longer than its scaled 1 s timeout). Next to them: a plain send / receive / delete loop against the SQS
 * server (the floor a runner should approach per hop), and the peak memory of each run.
 * Prints figures; asserts nothing.
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { bundleLambda } from '../bundling/bundle-lambda';
import { buildGraph } from '../model';
import { environments } from '../stacks/environments';
import { topology } from '../stacks/topology';
import { demoOrder } from '../demo/traffic';
import type { InvocationReport } from '../local/event-source-mapping';
import { startLocalEnvironment } from '../local/local-environment';
import { startLocalPipeline, type LocalPipeline } from '../local/pipeline';
import { localQueueUrl } from '../local/provision';
import { createLocalSqsClient } from '../local/sqs-client';
import { startLocalSqs } from '../local/sqs-server';
import { processCpuMs, rssMb } from './process-stats';
import { printTable } from './report';

/** Messages in the floor loop and orders through the pipeline (per run). */
const FLOOR_MESSAGES = 3_000;
const PIPELINE_ORDERS = 2_000;
const WARM_UP_ORDERS = 50;
/** Orders per order-service invocation (its limit is 100). */
const ORDERS_PER_REQUEST = 100;
const TIME_LIMIT_MS = 90_000;
const NOTIFICATION = 'development-notification-service';

/** What one measured run of PIPELINE_ORDERS orders gave. */
interface PipelineRun {
  readonly label: string;
  readonly elapsedMs: number;
  /** When order-service had published every order, from the start of the run. */
  readonly publishedMs: number;
  /** Per consumer function: time inside the function per record (invocation duration ÷ records). */
  readonly functionMsPerRecord: ReadonlyMap<string, number>;
  /** order-service: invocation duration ÷ orders. */
  readonly producerMsPerOrder: number;
  /** CPU time of every process of the run (runner, Lambdas, servers) ÷ orders. */
  readonly cpuMsPerOrder: number;
  /** Of which the embedded DynamoDB server's. */
  readonly dynamoDbCpuMsPerOrder: number;
  readonly peak: MemoryPeak;
  readonly consumers: string;
}

export async function benchPipeline(): Promise<void> {
  console.log('\n## Local pipeline (embedded servers on 127.0.0.1, bundled Lambdas in child processes)');
  const floor = await floorLoop();
  const without = await runWithoutTable();
  const withTable = await runWithTable();

  const ordersPerSecond = (run: PipelineRun) => (PIPELINE_ORDERS / run.elapsedMs) * 1000;
  printTable(
    ['measurement', 'messages', 'seconds', 'messages/s'],
    [
      ['floor: send + receive + delete loop, 10 per request, 1 hop', String(FLOOR_MESSAGES), floor.totalMs / 1000, floor.messagesPerSecond],
      ['  send only (SendMessageBatch)', String(FLOOR_MESSAGES), floor.sendMs / 1000, (FLOOR_MESSAGES / floor.sendMs) * 1000],
      ['  receive + delete only (ReceiveMessage + DeleteMessageBatch)', String(FLOOR_MESSAGES), floor.receiveMs / 1000, (FLOOR_MESSAGES / floor.receiveMs) * 1000],
      ...[without, withTable].flatMap((run) => [
        [`pipeline, ${run.label}: orders reaching notification-service (end to end)`, String(PIPELINE_ORDERS), run.elapsedMs / 1000, ordersPerSecond(run)],
        ['  = consumer deliveries (3 hops per order)', String(PIPELINE_ORDERS * 3), run.elapsedMs / 1000, ordersPerSecond(run) * 3],
      ]),
    ],
  );
  for (const run of [without, withTable]) {
    console.log(`${run.label}: order-service had published all ${PIPELINE_ORDERS} orders after ${(run.publishedMs / 1000).toFixed(2)} s; consumers ${run.consumers}.`);
  }
  console.log(`cold starts excluded (${WARM_UP_ORDERS} warm-up orders first); order-service invoked directly, ${ORDERS_PER_REQUEST} orders per invocation.`);

  // What idempotency costs per message: the same pipeline with and without the table.
  const perDelivery = (run: PipelineRun) => run.elapsedMs / (PIPELINE_ORDERS * 3);
  const services = [...without.functionMsPerRecord.keys()];
  printTable(
    ['cost per message (ms)', 'without table', 'with table', 'difference'],
    [
      ['wall clock per consumer delivery (run time ÷ 3 hops × orders)', perDelivery(without), perDelivery(withTable), perDelivery(withTable) - perDelivery(without)],
      ['order-service: invocation time per order', without.producerMsPerOrder, withTable.producerMsPerOrder, withTable.producerMsPerOrder - without.producerMsPerOrder],
      ...services.map((service) => {
        const off = without.functionMsPerRecord.get(service)!;
        const on = withTable.functionMsPerRecord.get(service)!;
        return [`${service}: invocation time per record`, off, on, on - off];
      }),
      ['CPU time per order, every process (runner, Lambdas, servers)', without.cpuMsPerOrder, withTable.cpuMsPerOrder, withTable.cpuMsPerOrder - without.cpuMsPerOrder],
      ['  of which the embedded DynamoDB server', 0, withTable.dynamoDbCpuMsPerOrder, withTable.dynamoDbCpuMsPerOrder],
    ].map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toFixed(2) : cell))),
  );
  console.log(
    'With the table every new order costs 8 DynamoDB requests (a conditional PutItem and an UpdateItem in order-service and in each consumer), ' +
      'all served by the one embedded DynamoDB server process (dynalite); records of a batch run in parallel, so "per record" is the batch\'s duration ÷ its records.',
  );
  printTable(
    ['peak memory (RSS, MB, sampled every 100 ms during the measured run)', 'without table', 'with table'],
    [
      ['runner process (this process: mappings, SDK clients, function URL servers)', without.peak.runnerMb, withTable.peak.runnerMb],
      ['Lambda execution environments (summed)', without.peak.lambdasMb, withTable.peak.lambdasMb],
      ['runner + Lambda execution environments (peak of the sum)', without.peak.totalMb, withTable.peak.totalMb],
      ['embedded SQS server process', without.peak.serversMb.sqs ?? 0, withTable.peak.serversMb.sqs ?? 0],
      ['embedded DynamoDB server process', '-', withTable.peak.serversMb.dynamoDb ?? 0],
    ],
  );
}

/** The pipeline with no DynamoDB server: the functions run with idempotency off. */
async function runWithoutTable(): Promise<PipelineRun> {
  const sqs = await startLocalSqs({ port: 0 });
  const collector = new InvocationCollector();
  let pipeline: LocalPipeline | undefined;
  try {
    pipeline = await startLocalPipeline({
      graph: buildGraph(topology, environments, 'development'),
      server: sqs,
      bundle: (fn) => bundleLambda(fn.entry).file,
      onInvocation: collector.record,
    });
    return await measure('without idempotency table', pipeline, collector, { sqs: sqs.pid });
  } finally {
    await pipeline?.stop();
    await sqs.stop();
  }
}

/** The pipeline as `startLocalEnvironment` runs it: the embedded DynamoDB server with the idempotency table. */
async function runWithTable(): Promise<PipelineRun> {
  const collector = new InvocationCollector();
  const local = await startLocalEnvironment({ topology, environments, onInvocation: collector.record });
  try {
    if (!local.dynamoDbEndpoint) throw new Error('pipeline bench: the development environment has no idempotency table');
    const pids = local.pids();
    return await measure('with idempotency table', local.pipeline, collector, { sqs: pids.server, dynamoDb: pids.dynamoDb! });
  } finally {
    await local.stop();
  }
}

/** Counts orders reaching notification-service, and sums invocation durations while measuring. */
class InvocationCollector {
  notified = 0;
  measuring = false;
  readonly durations = new Map<string, { ms: number; records: number }>();

  readonly record = (report: InvocationReport): void => {
    if (report.functionName === NOTIFICATION) this.notified += report.deleted.length;
    if (!this.measuring || !report.outcome) return;
    const service = report.functionName.replace(/^development-/, '');
    const sum = this.durations.get(service) ?? { ms: 0, records: 0 };
    this.durations.set(service, { ms: sum.ms + report.outcome.durationMs, records: sum.records + report.records.length });
  };
}

async function measure(label: string, pipeline: LocalPipeline, collector: InvocationCollector, servers: ServerPids): Promise<PipelineRun> {
  const producer = pipeline.producers.find((candidate) => candidate.fn.name === 'order-service')!;
  let producerMs = 0;
  const submit = async (runId: string, count: number) => {
    const requests: Promise<void>[] = [];
    for (let start = 0; start < count; start += ORDERS_PER_REQUEST) {
      const orders = Array.from({ length: Math.min(ORDERS_PER_REQUEST, count - start) }, (_, i) => demoOrder(runId, start + i));
      requests.push(
        producer.pool.invoke({ orders, correlationId: `bench-${runId}-${start}` }).then((outcome) => {
          if (!outcome.ok) throw new Error(`pipeline bench: order-service failed: ${outcome.error.name}: ${outcome.error.message}`);
          if (collector.measuring) producerMs += outcome.durationMs;
        }),
      );
    }
    await Promise.all(requests);
  };
  const until = async (target: number) => {
    const deadline = Date.now() + TIME_LIMIT_MS;
    while (collector.notified < target) {
      if (Date.now() > deadline) throw new Error(`pipeline bench (${label}): only ${collector.notified}/${target} orders arrived within ${TIME_LIMIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  // Warm-up: every execution environment's cold start happens here, not in the measurement.
  await submit('warm', WARM_UP_ORDERS);
  await until(WARM_UP_ORDERS);

  const memory = new MemorySampler(pipeline, servers);
  memory.start();
  const cpuBefore = cpuMs(pipeline, servers);
  const dynamoDbCpuBefore = servers.dynamoDb === undefined ? 0 : processCpuMs(servers.dynamoDb);
  collector.measuring = true;
  const started = performance.now();
  let publishedMs = 0;
  const submitting = submit('bench', PIPELINE_ORDERS).then(() => (publishedMs = performance.now() - started));
  await until(WARM_UP_ORDERS + PIPELINE_ORDERS);
  const elapsedMs = performance.now() - started;
  await submitting;
  collector.measuring = false;
  const cpuAfter = cpuMs(pipeline, servers);
  const dynamoDbCpuAfter = servers.dynamoDb === undefined ? 0 : processCpuMs(servers.dynamoDb);
  const peak = memory.stop();

  return {
    label,
    elapsedMs,
    publishedMs,
    functionMsPerRecord: new Map([...collector.durations].map(([service, sum]) => [service, sum.ms / sum.records])),
    producerMsPerOrder: producerMs / PIPELINE_ORDERS,
    cpuMsPerOrder: (cpuAfter - cpuBefore) / PIPELINE_ORDERS,
    dynamoDbCpuMsPerOrder: (dynamoDbCpuAfter - dynamoDbCpuBefore) / PIPELINE_ORDERS,
    peak,
    consumers: `${pipeline.consumers.map((consumer) => `${consumer.fn.name} ×${consumer.concurrency}`).join(', ')}; producer pool ×${producer.pool.pids.length}`,
  };
}

/** Sends FLOOR_MESSAGES in batches of 10, then receives and deletes them 10 at a time, one request after another (on a server of its own). */
async function floorLoop(): Promise<{ sendMs: number; receiveMs: number; totalMs: number; messagesPerSecond: number }> {
  const sqs = await startLocalSqs({ port: 0 });
  const client: SQSClient = createLocalSqsClient(sqs.endpoint, sqs.region);
  try {
    await client.send(new CreateQueueCommand({ QueueName: 'bench-floor', Attributes: { VisibilityTimeout: '30' } }));
    const queueUrl = localQueueUrl(sqs.endpoint, 'bench-floor');
    const body = JSON.stringify({ type: 'OrderCreated', data: demoOrder('floor', 0) });
    const sendStarted = performance.now();
    for (let sent = 0; sent < FLOOR_MESSAGES; sent += 10) {
      await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: body })) }));
    }
    const sendMs = performance.now() - sendStarted;
    const receiveStarted = performance.now();
    let received = 0;
    while (received < FLOOR_MESSAGES) {
      const { Messages: messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (messages.length === 0) continue;
      await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })) }));
      received += messages.length;
    }
    const receiveMs = performance.now() - receiveStarted;
    const totalMs = sendMs + receiveMs;
    return { sendMs, receiveMs, totalMs, messagesPerSecond: (FLOOR_MESSAGES / totalMs) * 1000 };
  } finally {
    client.destroy();
    await sqs.stop();
  }
}

/** Process ids of the embedded servers of a run. */
interface ServerPids {
  readonly sqs: number;
  readonly dynamoDb?: number;
}

interface MemoryPeak {
  readonly runnerMb: number;
  readonly lambdasMb: number;
  readonly totalMb: number;
  readonly serversMb: { readonly sqs?: number; readonly dynamoDb?: number };
}

/** Samples RSS of this process, the pipeline's Lambda processes and the servers from /proc. */
class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private peak: MemoryPeak = { runnerMb: 0, lambdasMb: 0, totalMb: 0, serversMb: {} };

  constructor(
    private readonly pipeline: LocalPipeline,
    private readonly servers: ServerPids,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): MemoryPeak {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    const runnerMb = process.memoryUsage().rss / 2 ** 20;
    const lambdasMb = this.pipeline.pids().reduce((sum, pid) => sum + rssMb(pid), 0);
    const { sqs, dynamoDb } = this.servers;
    this.peak = {
      runnerMb: Math.max(this.peak.runnerMb, runnerMb),
      lambdasMb: Math.max(this.peak.lambdasMb, lambdasMb),
      totalMb: Math.max(this.peak.totalMb, runnerMb + lambdasMb),
      serversMb: {
        sqs: Math.max(this.peak.serversMb.sqs ?? 0, rssMb(sqs)),
        ...(dynamoDb !== undefined ? { dynamoDb: Math.max(this.peak.serversMb.dynamoDb ?? 0, rssMb(dynamoDb)) } : {}),
      },
    };
  }
}

/** CPU time (user + system, ms) of this process, the pipeline's Lambda processes and the servers. */
function cpuMs(pipeline: LocalPipeline, servers: ServerPids): number {
  const runner = process.cpuUsage();
  const others = [...pipeline.pids(), servers.sqs, ...(servers.dynamoDb !== undefined ? [servers.dynamoDb] : [])];
  return (runner.user + runner.system) / 1000 + others.reduce((sum, pid) => sum + processCpuMs(pid), 0);
}

if (require.main === module) void benchPipeline();
