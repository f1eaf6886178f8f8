/**
 * Publishing to one SQS queue with SendMessageBatch.
 *
 * Hand-written because no well-kept library does what DESIGN §6 asks: Powertools has no SQS
 * producer, the SDK retries whole requests (throttling, 5xx, network) but not the entries a
 * successful SendMessageBatch reports failed, and the npm producers batch by count only.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  SendMessageBatchCommand,
  type BatchResultErrorEntry,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { backoffDelayMs } from './backoff';
import {
  messageSizeBytes,
  SQS_MAX_BATCH_BYTES,
  SQS_MAX_BATCH_ENTRIES,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  SQS_MAX_MESSAGE_BYTES,
  STRING_ATTRIBUTE_TYPE,
} from './message-size';
import { planBatches } from './plan-batches';
import type { FailedResult, PublishMessage, PublishResult } from './publish-types';

/** Settings of a {@link SqsPublisher}. */
export interface SqsPublisherOptions {
  /** The SDK client (create it once per execution environment). */
  readonly client: SQSClient;
  /** Requests a message may be part of, the first included. Range 1–10. @default 4 */
  readonly maxAttempts?: number;
  /** Upper bound of the first retry delay in ms (full jitter). Range 0–60,000. @default 100 */
  readonly baseDelayMs?: number;
  /** Upper bound of any retry delay in ms. Range 0–60,000. @default 2000 */
  readonly maxDelayMs?: number;
  /** Requests in flight at once for a standard queue; FIFO queues always get 1 (keeps group order). Range 1–16. @default 4 */
  readonly maxConcurrentRequests?: number;
  /** Most bytes per request. Range 1,024–1,048,576. @default 1,048,576 (1 MiB, the SQS limit) */
  readonly maxBatchBytes?: number;
  /** Largest message in bytes; larger ones fail without a request. Range 1,024–1,048,576. @default 1,048,576 */
  readonly maxMessageBytes?: number;
  /** Randomness for the jitter, in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * Error codes SQS may flag as the sender's fault that are still transient (throttling), so they
 * are retried; every other sender fault is permanent (e.g. `InvalidParameterValue`) and retrying
 * the same entry would fail the same way.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'RequestThrottled',
  'KmsThrottled',
  'KMS.ThrottlingException',
  'ServiceUnavailable',
  'InternalError',
  'InternalFailure',
]);

function isRetryable(entry: BatchResultErrorEntry): boolean {
  return entry.SenderFault !== true || TRANSIENT_CODES.has(entry.Code ?? '');
}

function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`SqsPublisher: ${name} must be an integer between ${min} and ${max}, but ${value} was provided`);
  }
  return value;
}

/**
 * Sends messages to a queue in as few SendMessageBatch requests as the limits allow (10 entries
 * and 1 MiB per request), retries only the entries SQS reported failed (transient failures,
 * with jittered exponential backoff, at most `maxAttempts` requests per message) and returns
 * one result per message, in input order. Never throws for SQS failures: they are results.
 *
 * FIFO queues (URL ending `.fifo`): `messageGroupId` is required and `deduplicationId` is sent;
 * requests go one at a time so messages of a group keep their order. Known limit: when an entry
 * is retried, later entries of its group that succeeded are already ahead of it.
 */
export class SqsPublisher {
  private readonly client: SQSClient;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxConcurrentRequests: number;
  private readonly maxBatchBytes: number;
  private readonly maxMessageBytes: number;
  private readonly random: () => number;

  constructor(options: SqsPublisherOptions) {
    this.client = options.client;
    this.maxAttempts = checkRange('maxAttempts', options.maxAttempts ?? 4, 1, 10);
    this.baseDelayMs = checkRange('baseDelayMs', options.baseDelayMs ?? 100, 0, 60_000);
    this.maxDelayMs = checkRange('maxDelayMs', options.maxDelayMs ?? 2_000, 0, 60_000);
    this.maxConcurrentRequests = checkRange('maxConcurrentRequests', options.maxConcurrentRequests ?? 4, 1, 16);
    this.maxBatchBytes = checkRange('maxBatchBytes', options.maxBatchBytes ?? SQS_MAX_BATCH_BYTES, 1_024, SQS_MAX_BATCH_BYTES);
    this.maxMessageBytes = checkRange('maxMessageBytes', options.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES, 1_024, SQS_MAX_MESSAGE_BYTES);
    this.random = options.random ?? Math.random;
  }

  /** Publishes `messages` to `queueUrl`; one result per message, in the same order. */
  async publish(queueUrl: string, messages: readonly PublishMessage[]): Promise<PublishResult[]> {
    const fifo = queueUrl.endsWith('.fifo');
    const results: (PublishResult | undefined)[] = new Array(messages.length);
    const attempts: number[] = new Array(messages.length).fill(0);
    const sizes = messages.map((message) => messageSizeBytes(message));

    let pending: number[] = [];
    messages.forEach((message, index) => {
      const rejection = this.rejectionOf(message, sizes[index]!, fifo);
      if (rejection) results[index] = { key: message.key, status: 'failed', ...rejection, senderFault: true, attempts: 0 };
      else pending.push(index);
    });

    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) {
        await sleepFor(backoffDelayMs(attempt - 1, { baseDelayMs: this.baseDelayMs, maxDelayMs: this.maxDelayMs, random: this.random }));
      }
      const isLastAttempt = attempt === this.maxAttempts;
      const retry: number[] = [];
      const batches = planBatches(pending, (index) => sizes[index]!, { maxEntries: SQS_MAX_BATCH_ENTRIES, maxBytes: this.maxBatchBytes });
      await forEachLimited(batches, fifo ? 1 : this.maxConcurrentRequests, async (batch) => {
        for (const index of batch) attempts[index]! += 1;
        const outcome = await this.sendBatch(queueUrl, fifo, batch, messages);
        for (const index of batch) {
          const entry = outcome.get(index)!;
          const key = messages[index]!.key;
          if (entry.status === 'sent') {
            results[index] = { key, status: 'sent', messageId: entry.messageId, attempts: attempts[index]! };
          } else {
            results[index] = { key, status: 'failed', ...entry.failure, attempts: attempts[index]! };
            if (entry.retryable && !isLastAttempt) retry.push(index);
          }
        }
      });
      // Retries keep the callers' order (FIFO group order, predictable batches).
      pending = retry.sort((a, b) => a - b);
    }
    return results.map((result) => result!);
  }

  private rejectionOf(message: PublishMessage, bytes: number, fifo: boolean): Pick<FailedResult, 'code' | 'reason'> | undefined {
    if (bytes > this.maxMessageBytes) {
      return { code: 'MessageTooLong', reason: `message is ${bytes} bytes (body + attributes); the limit is ${this.maxMessageBytes}` };
    }
    const attributeCount = Object.keys(message.attributes ?? {}).length;
    if (attributeCount > SQS_MAX_MESSAGE_ATTRIBUTES) {
      return { code: 'TooManyMessageAttributes', reason: `message has ${attributeCount} attributes; the limit is ${SQS_MAX_MESSAGE_ATTRIBUTES}` };
    }
    if (fifo && !message.messageGroupId) {
      return { code: 'MissingParameter', reason: 'messageGroupId is required for a FIFO queue' };
    }
    return undefined;
  }

  /** One SendMessageBatch request; the outcome of each entry, by message index. */
  private async sendBatch(queueUrl: string, fifo: boolean, batch: readonly number[], messages: readonly PublishMessage[]): Promise<Map<number, EntryOutcome>> {
    const outcome = new Map<number, EntryOutcome>();
    const indexOfId = (id: string | undefined) => (id?.startsWith('m') ? Number(id.slice(1)) : Number.NaN);
    try {
      const response = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((index) => toEntry(index, messages[index]!, fifo)) }),
      );
      for (const entry of response.Successful ?? []) {
        outcome.set(indexOfId(entry.Id), { status: 'sent', messageId: entry.MessageId ?? '' });
      }
      for (const entry of response.Failed ?? []) {
        outcome.set(indexOfId(entry.Id), {
          status: 'failed',
          retryable: isRetryable(entry),
          failure: { code: entry.Code ?? 'Unknown', reason: entry.Message ?? 'no message from SQS', senderFault: entry.SenderFault === true },
        });
      }
    } catch (error) {
      // The whole request failed after the SDK's own retries: every entry failed, no further retry here.
      const sdkError = error as Error & { $fault?: 'client' | 'server' };
      for (const index of batch) {
        outcome.set(index, {
          status: 'failed',
          retryable: false,
          failure: { code: sdkError.name || 'Error', reason: sdkError.message, senderFault: sdkError.$fault === 'client' },
        });
      }
    }
    for (const index of batch) {
      if (!outcome.has(index)) {
        outcome.set(index, {
          status: 'failed',
          retryable: true,
          failure: { code: 'MissingFromResponse', reason: 'SQS reported the entry neither successful nor failed', senderFault: false },
        });
      }
    }
    return outcome;
  }
}

type EntryOutcome =
  | { readonly status: 'sent'; readonly messageId: string }
  | { readonly status: 'failed'; readonly retryable: boolean; readonly failure: Pick<FailedResult, 'code' | 'reason' | 'senderFault'> };

function toEntry(index: number, message: PublishMessage, fifo: boolean): SendMessageBatchRequestEntry {
  const attributes = Object.entries(message.attributes ?? {});
  return {
    // Entry ids only need to be unique within the request; the message's index maps the result back.
    Id: `m${index}`,
    MessageBody: message.body,
    ...(attributes.length > 0
      ? { MessageAttributes: Object.fromEntries(attributes.map(([name, value]) => [name, { DataType: STRING_ATTRIBUTE_TYPE, StringValue: value }])) }
      : {}),
    // Standard queues reject a deduplication id, so FIFO fields are sent to FIFO queues only.
    ...(fifo ? { MessageGroupId: message.messageGroupId, ...(message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}) } : {}),
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
