/**
 * Shared pieces of the local-mode integration tests: an embedded server per test file, queue pairs
 * resolved through the spec layer, mappings that are always stopped, and polling helpers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GetQueueAttributesCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { buildGraph, type QueueDefinition } from '../../model';
import { EventSourceMapping, type EventSourceMappingOptions, type InvocationReport } from '../../local/event-source-mapping';
import { LambdaProcess } from '../../local/lambda-process';
import { provisionGraph, type ProvisionedQueue } from '../../local/provision';
import { createLocalSqsClient } from '../../local/sqs-client';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';

export const SCRIPTED_CONSUMER = path.join(__dirname, 'fixtures', 'scripted-consumer.mjs');

export interface TestServer {
  readonly sqs: LocalSqs;
  readonly client: SQSClient;
}

export async function startTestServer(): Promise<TestServer> {
  const sqs = await startLocalSqs({ port: 0 });
  return { sqs, client: createLocalSqsClient(sqs.endpoint, sqs.region) };
}

export async function stopTestServer(server: TestServer | undefined): Promise<void> {
  server?.client.destroy();
  await server?.sqs.stop();
}

/**
 * Registers the hooks every mapping test file needs: one embedded server for the file, and every
 * mapping a test started stopped after it (so a failing test leaks no process).
 */
export function useMappingTestServer(): { readonly server: () => TestServer; readonly tracker: MappingTracker } {
  let server: TestServer | undefined;
  const tracker = new MappingTracker();
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await tracker.stopAll();
    tracker.reports.length = 0;
    tracker.logLines.length = 0;
  });
  afterAll(async () => {
    await tracker.stopAll();
    await stopTestServer(server);
  });
  return {
    server: () => {
      if (!server) throw new Error('the embedded SQS server is not running (used outside a test?)');
      return server;
    },
    tracker,
  };
}

let queueCounter = 0;

/** Provisions a fresh pair named after the test (short timeouts keep fault tests fast). */
export async function provisionTestQueue(server: TestServer, definition: Omit<QueueDefinition, 'name'> & { name?: string }): Promise<ProvisionedQueue> {
  const name = `${definition.name ?? 'esm'}-${++queueCounter}`;
  const graph = buildGraph({ queues: [{ receiveWaitTimeSeconds: 1, ...definition, name }] }, { development: {} }, 'development');
  const { queues } = await provisionGraph(server.client, graph, { endpoint: server.sqs.endpoint, region: server.sqs.region });
  return queues[0]!;
}

/** Mappings started by a test; `stopAll` in afterEach so a failing test leaks no process. */
export class MappingTracker {
  private readonly mappings: EventSourceMapping[] = [];
  readonly reports: InvocationReport[] = [];
  readonly logLines: string[] = [];

  start(
    server: TestServer,
    queue: ProvisionedQueue,
    options: Partial<Omit<EventSourceMappingOptions, 'createFunction'>> & { bundleFile?: string; timeoutMs?: number } = {},
  ): EventSourceMapping {
    const functionName = options.functionName ?? `test-${queue.spec.name}`;
    const mapping = new EventSourceMapping({
      functionName,
      client: server.client,
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      region: server.sqs.region,
      fifo: queue.spec.fifo,
      batchSize: 10,
      concurrency: 1,
      waitTimeSeconds: 1,
      ...options,
      createFunction: () =>
        new LambdaProcess({
          functionName,
          bundleFile: options.bundleFile ?? SCRIPTED_CONSUMER,
          environment: {},
          timeoutMs: options.timeoutMs ?? 5_000,
          onLogLine: (line) => this.logLines.push(line),
        }),
      onInvocation: (report) => {
        this.reports.push(report);
        options.onInvocation?.(report);
      },
    });
    this.mappings.push(mapping);
    mapping.start();
    return mapping;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.mappings.splice(0).map((mapping) => mapping.stop(5_000)));
  }

  /** How often each message id was delivered to the function. */
  deliveries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const report of this.reports) for (const record of report.records) counts.set(record.messageId, (counts.get(record.messageId) ?? 0) + 1);
    return counts;
  }

  deleted(): Set<string> {
    return new Set(this.reports.flatMap((report) => report.deleted));
  }
}

/** Sends bodies in batches of 10; returns the message ids in send order. */
export async function sendBodies(
  client: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
  extra: (index: number) => { MessageGroupId?: string; MessageDeduplicationId?: string; correlationId?: string } = () => ({}),
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < bodies.length; start += 10) {
    const chunk = bodies.slice(start, start + 10);
    const response = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((body, i) => {
          const { correlationId, ...fifo } = extra(start + i);
          return {
            Id: String(i),
            MessageBody: body,
            ...fifo,
            ...(correlationId ? { MessageAttributes: { correlationId: { DataType: 'String', StringValue: correlationId } } } : {}),
          };
        }),
      }),
    );
    if (response.Failed?.length) throw new Error(`send failed: ${JSON.stringify(response.Failed)}`);
    const byEntry = new Map((response.Successful ?? []).map((entry) => [entry.Id, entry.MessageId!]));
    chunk.forEach((_, i) => ids.push(byEntry.get(String(i))!));
  }
  return ids;
}

export async function queueDepth(client: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const response = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return {
    visible: Number(response.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(response.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** Polls `condition` every 50 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Process ids of `pid` and all its descendants, from /proc (Linux). */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found = [pid];
  for (let index = 0; index < found.length; index++) {
    for (const [child, parent] of parents) if (parent === found[index]) found.push(child);
  }
  return found;
}

/**
 * Processes started since `before` (a set of {@link descendants}), except esbuild's service process:
 * the bundler of the test process itself starts it once and keeps it for later builds.
 */
export function startedSince(before: ReadonlySet<number>): number[] {
  return descendants(process.pid).filter((pid) => !before.has(pid) && !commandLine(pid).includes('esbuild --service'));
}

/** Whether a process id is still alive (a zombie counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs any more. */
export async function waitForExit(pids: readonly number[], timeoutMs = 10_000): Promise<void> {
  try {
    await waitFor(`processes to exit`, () => pids.every((pid) => !isRunning(pid)), timeoutMs);
  } catch {
    const left = pids.filter(isRunning).map((pid) => `${pid} (${commandLine(pid)})`);
    throw new Error(`timed out after ${timeoutMs} ms waiting for processes to exit: ${left.join(', ')}`);
  }
}

/** The command line of a process ('gone' when it has exited). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 200);
  } catch {
    return 'gone';
  }
}

/**
 * Every running process whose full command line contains `text` (zombies excluded), from /proc
 * (Linux): processes of a run that are no longer this test's descendants, e.g. a child script's own
 * children after it exited.
 */
export function processesMentioning(text: string): { readonly pid: number; readonly commandLine: string }[] {
  const found: { pid: number; commandLine: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const line = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (line.includes(text) && isRunning(Number(entry))) found.push({ pid: Number(entry), commandLine: line });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}
