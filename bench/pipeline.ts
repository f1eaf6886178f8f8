/**
 * Local pipeline benchmark: end-to-end throughput of the development pipeline on the embedded
 * server (orders through order-service → inventory-service → shipping-service →
 * notification-service, every hop a bundled Lambda in its own process), next to a plain
 * send / receive / delete loop against the same server in the same run (the floor a runner should
 * approach per hop), and the runner's peak memory.
 */
import { readFileSync } from 'node:fs';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { bundleLambda } from '../bundling/bundle-lambda';
import { buildGraph, withScaledTimings } from '../model';
import { environments } from '../stacks/environments';
import { topology } from '../stacks/topology';
import { demoOrder } from '../demo/traffic';
import { startLocalPipeline, type LocalPipeline } from '../local/pipeline';
import { localQueueUrl } from '../local/provision';
import { createLocalSqsClient } from '../local/sqs-client';
import { startLocalSqs, type LocalSqs } from '../local/sqs-server';
import { printTable } from './report';

/** Messages in the floor loop and orders through the pipeline. */
const FLOOR_MESSAGES = 3_000;
const PIPELINE_ORDERS = 2_000;
const WARM_UP_ORDERS = 50;
/** Orders per order-service invocation (its limit is 100). */
const ORDERS_PER_REQUEST = 100;
const TIME_LIMIT_MS = 90_000;

export async function benchPipeline(): Promise<void> {
  console.log('\n## Local pipeline (embedded SQS server on 127.0.0.1, bundled Lambdas in child processes)');
  const sqs = await startLocalSqs({ port: 0 });
  const client = createLocalSqsClient(sqs.endpoint, sqs.region);
  let pipeline: LocalPipeline | undefined;
  try {
    const floor = await floorLoop(client, sqs.endpoint);

    let notified = 0;
    pipeline = await startLocalPipeline({
      graph: withScaledTimings(buildGraph(topology, environments, 'development')).graph,
      server: sqs,
      bundle: (fn) => bundleLambda(fn.entry).file,
      onInvocation: (report) => {
        if (report.functionName === 'development-notification-service') notified += report.deleted.length;
      },
    });
    const producer = pipeline.producers.find((candidate) => candidate.fn.name === 'order-service')!;
    const submit = async (runId: string, count: number) => {
      const requests: Promise<unknown>[] = [];
      for (let start = 0; start < count; start += ORDERS_PER_REQUEST) {
        const orders = Array.from({ length: Math.min(ORDERS_PER_REQUEST, count - start) }, (_, i) => demoOrder(runId, start + i));
        requests.push(producer.pool.invoke({ orders, correlationId: `bench-${runId}-${start}` }));
      }
      await Promise.all(requests);
    };
    const until = async (target: number) => {
      const deadline = Date.now() + TIME_LIMIT_MS;
      while (notified < target) {
        if (Date.now() > deadline) throw new Error(`pipeline bench: only ${notified}/${target} orders arrived within ${TIME_LIMIT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    // Warm-up: every execution environment's cold start happens here, not in the measurement.
    await submit('warm', WARM_UP_ORDERS);
    await until(WARM_UP_ORDERS);

    const memory = new MemorySampler(pipeline, sqs);
    memory.start();
    const started = performance.now();
    let publishedMs = 0;
    const submitting = submit('bench', PIPELINE_ORDERS).then(() => (publishedMs = performance.now() - started));
    await until(WARM_UP_ORDERS + PIPELINE_ORDERS);
    const elapsedMs = performance.now() - started;
    await submitting;
    const peak = memory.stop();

    const ordersPerSecond = (PIPELINE_ORDERS / elapsedMs) * 1000;
    printTable(
      ['measurement', 'messages', 'seconds', 'messages/s'],
      [
        ['floor: send + receive + delete loop, 10 per request, 1 hop', String(FLOOR_MESSAGES), floor.totalMs / 1000, floor.messagesPerSecond],
        ['  send only (SendMessageBatch)', String(FLOOR_MESSAGES), floor.sendMs / 1000, (FLOOR_MESSAGES / floor.sendMs) * 1000],
        ['  receive + delete only (ReceiveMessage + DeleteMessageBatch)', String(FLOOR_MESSAGES), floor.receiveMs / 1000, (FLOOR_MESSAGES / floor.receiveMs) * 1000],
        ['pipeline: orders through all three consumers (end to end)', String(PIPELINE_ORDERS), elapsedMs / 1000, ordersPerSecond],
        ['  = consumer deliveries (3 hops per order)', String(PIPELINE_ORDERS * 3), elapsedMs / 1000, ordersPerSecond * 3],
      ],
    );
    console.log(`order-service had published all ${PIPELINE_ORDERS} orders after ${(publishedMs / 1000).toFixed(2)} s (${PIPELINE_ORDERS / ORDERS_PER_REQUEST} invocations of ${ORDERS_PER_REQUEST}).`);
    console.log(
      `consumers: ${pipeline.consumers.map((consumer) => `${consumer.fn.name} ×${consumer.concurrency}`).join(', ')}; producer pool ×${producer.pool.pids.length}; ` +
        `cold starts excluded (${WARM_UP_ORDERS} warm-up orders first).`,
    );
    printTable(
      ['peak memory (RSS, sampled every 100 ms during the measured run)', 'MB'],
      [
        ['runner process (this process: mappings, SDK client, function URL servers)', peak.runnerMb],
        [`Lambda execution environments (${peak.lambdaProcesses} processes, summed)`, peak.lambdasMb],
        ['runner + Lambda execution environments (peak of the sum)', peak.totalMb],
        ['embedded SQS server process (not part of the runner)', peak.serverMb],
      ],
    );
  } finally {
    await pipeline?.stop();
    client.destroy();
    await sqs.stop();
  }
}

/** Sends FLOOR_MESSAGES in batches of 10, then receives and deletes them 10 at a time, one request after another. */
async function floorLoop(client: SQSClient, endpoint: string): Promise<{ sendMs: number; receiveMs: number; totalMs: number; messagesPerSecond: number }> {
  await client.send(new CreateQueueCommand({ QueueName: 'bench-floor', Attributes: { VisibilityTimeout: '30' } }));
  const queueUrl = localQueueUrl(endpoint, 'bench-floor');
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
}

/** Samples RSS of this process, the pipeline's Lambda processes and the server from /proc. */
class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = { runnerMb: 0, lambdasMb: 0, totalMb: 0, serverMb: 0, lambdaProcesses: 0 };

  constructor(
    private readonly pipeline: LocalPipeline,
    private readonly sqs: LocalSqs,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): typeof this.peak {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    const runnerMb = process.memoryUsage().rss / 2 ** 20;
    const pids = this.pipeline.pids();
    const lambdasMb = pids.reduce((sum, pid) => sum + rssMb(pid), 0);
    this.peak = {
      runnerMb: Math.max(this.peak.runnerMb, runnerMb),
      lambdasMb: Math.max(this.peak.lambdasMb, lambdasMb),
      totalMb: Math.max(this.peak.totalMb, runnerMb + lambdasMb),
      serverMb: Math.max(this.peak.serverMb, rssMb(this.sqs.pid)),
      lambdaProcesses: Math.max(this.peak.lambdaProcesses, pids.length),
    };
  }
}

/** Resident set size of a process in MB (0 when it has exited). */
function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

if (require.main === module) void benchPipeline();
