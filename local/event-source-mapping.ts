/**
 * A local Lambda event source mapping for SQS: pollers that long-poll the queue, gather a batch,
 * invoke the bundled consumer in its own execution environment and apply its
 * `ReportBatchItemFailures` answer as AWS does (see batch-response.ts).
 *
 * Model: `concurrency` pollers, each owning one execution environment, so at most `concurrency`
 * invocations run at once (AWS's `maximumConcurrency`). Visibility comes from the queue (the receive
 * does not override it). Messages are deleted only after the function reported them done; whatever
 * failed, timed out, crashed or was never invoked is left alone and returns after the visibility
 * timeout, where SQS counts the receive and dead-letters after maxReceiveCount.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { settleBatch, type Settlement } from './batch-response';
import { FailureInjector, type FailureInjectionOptions } from './failure-injection';
import type { InvokeOutcome } from './lambda-process';
import { sleep } from './sleep';
import { toSqsEvent, toSqsRecord } from './sqs-event';

/** One execution environment of the consumer; `LambdaProcess` is the real one. */
export interface FunctionInstance {
  invoke(event: unknown): Promise<InvokeOutcome>;
  stop(graceMs?: number): Promise<void>;
  readonly pid: number | undefined;
}

export interface EventSourceMappingOptions {
  /** Function name for logs and reports, e.g. `development-inventory-service`. */
  readonly functionName: string;
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  /** Region written into each record's `awsRegion`. */
  readonly region: string;
  /** FIFO queue: invocations of one message group never overlap. @default false */
  readonly fifo?: boolean;
  /**
   * The queue's redrive maxReceiveCount: a record that fails on this receive goes to the DLQ on
   * the next one, which the mapping counts as dead-lettered. @default undefined (no DLQ)
   */
  readonly maxReceiveCount?: number;
  /** Most records per invocation. Range 1 – 10 (FIFO) or 1 – 10,000 (standard). */
  readonly batchSize: number;
  /**
   * Seconds to keep gathering records after the first one arrives, until `batchSize` is reached.
   * Range 0 – 300; 0 invokes with what one receive returned (up to 10). @default 0
   */
  readonly maximumBatchingWindowSeconds?: number;
  /** Concurrent invocations = pollers = execution environments. Range 1 – 1,000. */
  readonly concurrency: number;
  /** Long-poll wait of each ReceiveMessage. Range 0 – 20 s. @default 20 (Lambda's pollers long-poll) */
  readonly waitTimeSeconds?: number;
  /** Creates the execution environment of poller `index` (0-based). */
  readonly createFunction: (index: number) => FunctionInstance;
  /** Simulated transient failures. @default none */
  readonly failureInjection?: FailureInjectionOptions;
  /** Called after each invocation (or each batch that was entirely failed by injection). */
  readonly onInvocation?: (report: InvocationReport) => void;
  /** SQS errors the mapping recovered from; it pauses and polls again. @default ignore */
  readonly onError?: (error: Error, during: MappingStage) => void;
}

/** Where a recovered error happened. */
export type MappingStage = 'receive' | 'process' | 'delete';

/** What happened to one batch. */
export interface InvocationReport {
  readonly functionName: string;
  readonly poller: number;
  /** Records the function received, in event order. */
  readonly records: readonly SQSRecord[];
  /** Message ids failed by failure injection (not delivered to the function). */
  readonly injected: readonly string[];
  /** The function's outcome; undefined when every record was failed by injection. */
  readonly outcome?: InvokeOutcome;
  readonly settlement: Settlement;
  /** Message ids deleted from the queue (processed). */
  readonly deleted: readonly string[];
  /**
   * Message ids the function processed but the queue did not confirm deleting (the server was
   * unreachable): they will be delivered again.
   */
  readonly undeleted: readonly string[];
  /** Failed message ids on their last allowed receive: SQS moves them to the DLQ on the next one. */
  readonly deadLettering: readonly string[];
  /**
   * FIFO groups whose order the response broke: a record reported failed while a later record of the
   * same group succeeded. AWS deletes as told too; the handler must fail the rest of the group.
   */
  readonly brokenGroups: readonly string[];
}

/** Counters since start, all kept by the mapping itself (never read back from the queue). */
export interface MappingStats {
  /** Records received (each receive of a message counts). */
  readonly received: number;
  /** Distinct messages received for the first time (ApproximateReceiveCount 1). */
  readonly firstReceived: number;
  /** Records between receive and settlement right now. */
  readonly inFlight: number;
  readonly invocations: number;
  /** Records deleted after success. */
  readonly processed: number;
  /** Records left for retry (failed items, failed batches, injected failures). */
  readonly failedAttempts: number;
  /** Invocations that failed as a whole (error, timeout, crash, unusable response). */
  readonly batchFailures: number;
  /** Records that failed on their last allowed receive (on their way to the DLQ). */
  readonly deadLettered: number;
}

const DELETE_BATCH_LIMIT = 10;
const RECEIVE_LIMIT = 10;
const MAX_ERROR_PAUSE_MS = 5_000;

export class EventSourceMapping {
  private injector: FailureInjector | undefined;
  private readonly functions: FunctionInstance[] = [];
  private readonly receives = new Set<AbortController>();
  private readonly busyGroups = new Map<string, Promise<void>>();
  private pollers: Promise<void>[] = [];
  private stopping = false;
  /** Aborted by stop(): wakes pauses. (A Promise.race against a never-settling promise would keep one reaction per pause.) */
  private readonly stopController = new AbortController();
  private counters = { received: 0, firstReceived: 0, inFlight: 0, invocations: 0, processed: 0, failedAttempts: 0, batchFailures: 0, deadLettered: 0 };

  constructor(private readonly options: EventSourceMappingOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`${options.functionName}: concurrency must be a positive integer, but ${options.concurrency} was provided`);
    }
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RangeError(`${options.functionName}: batchSize must be a positive integer, but ${options.batchSize} was provided`);
    }
    this.injector = options.failureInjection ? new FailureInjector(options.failureInjection) : undefined;
  }

  get functionName(): string {
    return this.options.functionName;
  }

  /** Process ids of the running execution environments (for memory sampling and fault tests). */
  get pids(): number[] {
    return this.functions.map((fn) => fn.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Changes the share of records failed on purpose from now on, 0 – 1 (see failure-injection.ts). */
  setFailureRate(rate: number): void {
    if (this.injector) this.injector.setRate(rate);
    else if (rate > 0) this.injector = new FailureInjector({ rate });
  }

  stats(): MappingStats {
    return { ...this.counters };
  }

  /** Starts the pollers. */
  start(): void {
    if (this.pollers.length > 0) throw new Error(`${this.options.functionName}: mapping already started`);
    for (let index = 0; index < this.options.concurrency; index++) {
      const fn = this.options.createFunction(index);
      this.functions.push(fn);
      this.pollers.push(this.poll(index, fn));
    }
  }

  /**
   * Graceful stop: no new receives (pending long polls are cancelled), in-flight batches get
   * `graceMs` to finish and settle, then the execution environments are stopped. A batch cut off
   * by the grace period counts as crashed: nothing of it is deleted, so it returns to the queue.
   */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.stopController.abort();
      for (const controller of this.receives) controller.abort();
    }
    let timer: NodeJS.Timeout | undefined;
    const all = Promise.all(this.pollers);
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    await Promise.all(this.functions.map((fn) => fn.stop()));
    await all;
  }

  private async poll(index: number, fn: FunctionInstance): Promise<void> {
    let errors = 0;
    while (!this.stopping) {
      let messages: Message[];
      try {
        messages = await this.gather();
        errors = 0;
      } catch (error) {
        if (this.stopping) break;
        this.options.onError?.(error as Error, 'receive');
        errors++;
        await this.pause(Math.min(MAX_ERROR_PAUSE_MS, 250 * 2 ** errors));
        continue;
      }
      // Records already received are processed even when a stop arrived meanwhile: dropping them
      // would only hide them until their visibility timeout.
      if (messages.length === 0) continue;
      try {
        await this.process(index, fn, messages);
      } catch (error) {
        // Whatever of the batch was not deleted returns after the visibility timeout. The poller
        // carries on: a mapping never dies of one bad batch.
        this.options.onError?.(error as Error, 'process');
      }
    }
  }

  /** One batch: a long poll for the first records, then (with a window) more until full or the window ends. */
  private async gather(): Promise<Message[]> {
    const batch: Message[] = [];
    const windowMs = (this.options.maximumBatchingWindowSeconds ?? 0) * 1000;
    let deadline = Infinity;
    while (!this.stopping && batch.length < this.options.batchSize) {
      const remainingMs = deadline - Date.now();
      if (batch.length > 0 && remainingMs <= 0) break;
      const waitTimeSeconds = batch.length === 0 ? (this.options.waitTimeSeconds ?? 20) : Math.min(20, Math.floor(remainingMs / 1000));
      let received: Message[];
      try {
        received = await this.receive(Math.min(RECEIVE_LIMIT, this.options.batchSize - batch.length), waitTimeSeconds);
      } catch (error) {
        if (batch.length === 0) throw error;
        // Records already in hand are invoked rather than left hidden until their visibility timeout.
        this.options.onError?.(error as Error, 'receive');
        break;
      }
      if (received.length > 0 && batch.length === 0) deadline = Date.now() + windowMs;
      batch.push(...received);
      if (windowMs === 0 && batch.length > 0) break;
      // A short poll that found nothing inside the window: do not spin.
      if (received.length === 0 && batch.length > 0 && waitTimeSeconds === 0) await this.pause(Math.min(50, Math.max(0, deadline - Date.now())));
    }
    return batch;
  }

  private async receive(maxNumberOfMessages: number, waitTimeSeconds: number): Promise<Message[]> {
    const controller = new AbortController();
    this.receives.add(controller);
    try {
      const response = await this.options.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: maxNumberOfMessages,
          WaitTimeSeconds: waitTimeSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: controller.signal },
      );
      const messages = response.Messages ?? [];
      this.counters.received += messages.length;
      this.counters.firstReceived += messages.filter((message) => (message.Attributes?.ApproximateReceiveCount ?? '1') === '1').length;
      this.counters.inFlight += messages.length;
      return messages;
    } catch (error) {
      if (this.stopping) return [];
      throw error;
    } finally {
      this.receives.delete(controller);
    }
  }

  private async process(index: number, fn: FunctionInstance, messages: Message[]): Promise<void> {
    const source = { queueArn: this.options.queueArn, region: this.options.region };
    let release = () => {};
    try {
      const records = messages.map((message) => toSqsRecord(message, source));
      release = await this.lockGroups(records);
      const { delivered, injected } = this.injector ? this.injector.apply(records) : { delivered: records, injected: [] };
      let outcome: InvokeOutcome | undefined;
      let settlement: Settlement;
      if (delivered.length > 0) {
        this.counters.invocations++;
        outcome = await fn.invoke(toSqsEvent(delivered));
        settlement = settleBatch(delivered.map((record) => record.messageId), outcome);
      } else {
        settlement = { kind: 'partial', succeeded: [], failed: [] };
      }
      if (settlement.kind === 'batch-failed') this.counters.batchFailures++;
      const succeededIds = new Set(settlement.kind === 'partial' ? settlement.succeeded : []);
      const succeeded = records.filter((record) => succeededIds.has(record.messageId));
      const deleted = await this.delete(succeeded);
      const deletedIds = new Set(deleted);
      this.counters.processed += deleted.length;
      this.counters.failedAttempts += records.length - deleted.length;
      const failed = new Set([...settlement.failed, ...injected]);
      const limit = this.options.maxReceiveCount;
      const deadLettering =
        limit === undefined ? [] : records.filter((record) => failed.has(record.messageId) && Number(record.attributes.ApproximateReceiveCount) >= limit).map((record) => record.messageId);
      this.counters.deadLettered += deadLettering.length;
      this.options.onInvocation?.({
        functionName: this.options.functionName,
        poller: index,
        records: delivered,
        injected,
        ...(outcome ? { outcome } : {}),
        settlement,
        deleted,
        undeleted: succeeded.filter((record) => !deletedIds.has(record.messageId)).map((record) => record.messageId),
        deadLettering,
        brokenGroups: this.options.fifo ? brokenGroups(records, failed) : [],
      });
    } finally {
      this.counters.inFlight -= messages.length;
      release();
    }
  }

  /** Deletes in batches of 10; returns the ids SQS confirmed. An entry that fails is retried once. */
  private async delete(records: readonly SQSRecord[]): Promise<string[]> {
    const deleted: string[] = [];
    for (let start = 0; start < records.length; start += DELETE_BATCH_LIMIT) {
      let pending = records.slice(start, start + DELETE_BATCH_LIMIT);
      for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
        try {
          const response = await this.options.client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: this.options.queueUrl,
              Entries: pending.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })),
            }),
          );
          const failedIds = new Set((response.Failed ?? []).map((entry) => entry.Id));
          deleted.push(...pending.filter((_, i) => !failedIds.has(String(i))).map((record) => record.messageId));
          pending = pending.filter((_, i) => failedIds.has(String(i)));
          if (pending.length > 0 && attempt === 1) {
            this.options.onError?.(new Error(`could not delete ${pending.length} processed message(s); they will be delivered again`), 'delete');
          }
        } catch (error) {
          this.options.onError?.(error as Error, 'delete');
        }
      }
    }
    return deleted;
  }

  /**
   * FIFO: waits until no other poller of this mapping is processing any of the batch's message
   * groups. The server locks a group while one of its messages is in flight, but when a visibility
   * timeout runs out mid-invocation the group unlocks; this keeps invocations of a group in order.
   */
  private async lockGroups(records: readonly SQSRecord[]): Promise<() => void> {
    if (!this.options.fifo) return () => {};
    const groups = [...new Set(records.map((record) => record.attributes.MessageGroupId ?? ''))];
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const previous = groups.map((group) => this.busyGroups.get(group)).filter((p): p is Promise<void> => p !== undefined);
    for (const group of groups) this.busyGroups.set(group, done);
    await Promise.all(previous);
    return () => {
      release();
      for (const group of groups) if (this.busyGroups.get(group) === done) this.busyGroups.delete(group);
    };
  }

  private pause(ms: number): Promise<void> {
    return sleep(ms, this.stopController.signal);
  }
}

/** Groups in which a failed record is followed by a record that was not failed. */
function brokenGroups(records: readonly SQSRecord[], failed: ReadonlySet<string>): string[] {
  const failedGroups = new Set<string>();
  const broken = new Set<string>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? '';
    if (failed.has(record.messageId)) failedGroups.add(group);
    else if (failedGroups.has(group)) broken.add(group);
  }
  return [...broken];
}
