/**
 * The SQS consumer wrapper every consuming handler uses. Per invocation:
 *
 * 1. **decide** (Powertools batch, see partial-batch.ts): for each record, read its correlation
 *    id, parse and validate the body, run the business logic once per event (idempotency, below)
 *    and collect the event to publish. A bad record fails alone, with one log line.
 * 2. **publish** every collected event in one batched publish (SendMessageBatch, 10 per request).
 * 3. **report** (Powertools batch again over the same records): a record fails if it failed in
 *    step 1 or its event could not be published, so SQS redelivers it. On FIFO sources this pass
 *    also fails the later records of a group whose earlier record failed to publish.
 *
 * Why two passes instead of publishing inside the record handler: FIFO records are processed
 * one at a time, so publishing per record would mean one request per message; deciding first
 * and publishing once keeps one request per 10 outputs while Powertools still owns the
 * partial-failure and message-group rules.
 *
 * **Idempotency** (idempotency.ts): SQS delivers at least once, and a producer's retry or a redrive
 * is a new message carrying the same event, so the business logic runs at most once per envelope
 * `eventId` (not per SQS message id), with Powertools Idempotency around it in step 1:
 * - first time: the logic runs under an in-progress lock that expires with this invocation's
 *   deadline; its result (the outgoing event, or nothing) is stored as `COMPLETED`;
 * - already completed: the logic does not run; the record succeeds with the stored result;
 * - in progress elsewhere (a duplicate in another batch or execution environment): the record is
 *   reported failed and comes back after the visibility timeout, which is longer than any lock
 *   (visibility ≥ 6 × the function timeout), so by then the other attempt has completed or expired;
 * - the logic throws: the lock is deleted, nothing is remembered, the redelivery runs it again.
 *
 * The stored result is **published again** on every replay. Completion is recorded in step 1,
 * before the publish of step 2, so "completed" does not mean "published": the publish may have
 * failed (the record was reported failed), or the environment may have died between the two. The
 * redelivery must then publish, and a replay cannot tell those cases from one whose publish went
 * through, nor can a redrive or a producer retry (a new message id) tell which message's publish
 * happened. Re-publishing the stored event is always correct: it is the same event (same
 * `eventId`, same payload and `occurredAt`), FIFO queues drop it as a duplicate (its deduplication
 * id is the eventId) and every downstream consumer is idempotent on that eventId. The price is one
 * extra downstream message per duplicate delivery, absorbed one hop later. Recording completion
 * only after the publish would avoid it, but needs the lock taken in step 1 and released in step 3,
 * i.e. driving the persistence layer by hand instead of Powertools' tested handler; and publishing
 * inside the idempotent operation would cost one request per record on FIFO sources (above).
 *
 * The lock covers the logic only, so a record whose logic completed is never blocked by a slow
 * publish, and a crash after completion costs a re-publish, never a second run of the logic.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod/mini';
import { correlationIdOfRecord } from './correlation';
import type { EventEnvelope } from './envelope';
import { createIdempotentOperations, isInProgressElsewhere, type IdempotentOperations } from './idempotency';
import { logger } from './logger';
import { MetricName, metrics, MetricUnit } from './metrics';
import { toPublishMessage } from './outgoing-message';
import { InvalidMessageError, parseMessageBody } from './parse-message';
import { isFifoSource, processPartialBatch } from './partial-batch';
import type { FailedResult, PublishMessage } from './publish-types';
import type { SqsPublisher } from './publisher';

/** What the business logic knows about the record it handles. */
export interface ConsumedRecord {
  readonly messageId: string;
  /** From the `correlationId` attribute, or generated (and logged) when it was missing. */
  readonly correlationId: string;
  /** `ApproximateReceiveCount`: 1 on first delivery. */
  readonly receiveCount: number;
}

/** An event a consumer publishes: any envelope whose payload has an orderId (the FIFO group). */
export type OutgoingEvent = EventEnvelope<string, { readonly orderId: string }>;

/** Where a consumer publishes its outputs. */
export interface ConsumerOutput {
  /** URL of the downstream queue (from `<QUEUE>_QUEUE_URL`). */
  readonly queueUrl: string;
  readonly publisher: SqsPublisher;
}

/** Schema of an input event: an envelope whose payload has the orderId (logged with every record). */
export type InputEventSchema = z.ZodMiniType<EventEnvelope<string, { readonly orderId: string }>>;

/** A consumer: its input event and schema, its business logic and its output queue. */
export interface SqsConsumerDefinition<TSchema extends InputEventSchema> {
  /** Name of the input event in log lines, e.g. `OrderCreated`. */
  readonly inputName: string;
  /** Schema of the message body (an event envelope). */
  readonly inputSchema: TSchema;
  /**
   * Business logic for one valid message: the event to publish downstream, or undefined.
   * Throwing fails the record (SQS redelivers it). Runs at most once per input `eventId`; its
   * result is stored (as JSON, in the idempotency table) and re-published on a repeat delivery.
   */
  readonly handle: (input: z.output<TSchema>, record: ConsumedRecord) => OutgoingEvent | undefined | Promise<OutgoingEvent | undefined>;
  /** Downstream queue; required when `handle` returns events. @default undefined (publishes nothing) */
  readonly output?: ConsumerOutput;
}

/** A Lambda handler for an SQS event source mapping with `ReportBatchItemFailures`. */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Thrown in the report pass for a record that already failed (its reason was logged when it failed). */
class RecordAlreadyFailedError extends Error {
  override readonly name = 'RecordAlreadyFailedError';
}

/** Thrown in the report pass for a record whose downstream event could not be published. */
class DownstreamPublishError extends Error {
  override readonly name = 'DownstreamPublishError';
  constructor(readonly result: FailedResult) {
    super(`downstream publish failed: ${result.code}: ${result.reason}`);
  }
}

/** Builds the handler for `definition`. Call at module scope (once per execution environment). */
export function createSqsConsumer<TSchema extends InputEventSchema>(definition: SqsConsumerDefinition<TSchema>): SqsBatchHandler {
  const once = createIdempotentOperations({ keyPath: 'eventId' });
  return async (event, context) => {
    logger.addContext(context);
    metrics.captureColdStartMetric();
    once.registerLambdaContext(context);
    try {
      return await consumeBatch(definition, once, event, context);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

async function consumeBatch<TSchema extends InputEventSchema>(
  definition: SqsConsumerDefinition<TSchema>,
  once: IdempotentOperations,
  event: SQSEvent,
  context: Context,
): Promise<SQSBatchResponse> {
  const consumed = new Map<string, ConsumedRecord>();
  const outputs = new Map<string, PublishMessage>();
  let invalidMessages = 0;
  let duplicates = 0;
  let inProgressElsewhere = 0;

  // 1. decide
  const decided = await processPartialBatch(
    event,
    async (record: SQSRecord) => {
      const correlation = correlationIdOfRecord(record);
      const current: ConsumedRecord = {
        messageId: record.messageId,
        correlationId: correlation.value,
        receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
      };
      consumed.set(record.messageId, current);
      // A failing record says so in its one failure line (correlationIdGenerated); a valid one gets its own line.
      const generated = correlation.generated ? { correlationIdGenerated: true } : {};
      let eventId: string | undefined;
      try {
        const input = parseMessageBody(record.body, definition.inputSchema, definition.inputName);
        eventId = input.eventId;
        if (correlation.generated) logger.warn('message has no usable correlationId attribute; generated a new correlation id', { ...current });
        const { result: output, replayed } = await once.run(input, async () => {
          const outgoing = await definition.handle(input, current);
          // Inside the operation, so a misconfigured consumer is not remembered as done.
          if (outgoing !== undefined && definition.output === undefined) {
            throw new Error(`handler returned a ${outgoing.type} event but the consumer has no output queue`);
          }
          return outgoing;
        });
        // One line per record: with the correlation id it traces an order across services.
        const handledKeys = { ...current, orderId: input.data.orderId, eventId, ...(output ? { emits: output.type } : {}) };
        if (replayed) {
          duplicates += 1;
          logger.info(`${definition.inputName} already handled${output ? `; publishing its stored ${output.type} again` : ''}`, handledKeys);
        } else {
          logger.info(`handled ${definition.inputName}`, handledKeys);
        }
        if (output === undefined || definition.output === undefined) return;
        outputs.set(record.messageId, toPublishMessage(record.messageId, output, current.correlationId));
      } catch (error) {
        if (error instanceof InvalidMessageError) {
          invalidMessages += 1;
          logger.error(`invalid message: ${error.reason}`, { ...current, ...generated, expectedEvent: definition.inputName });
        } else if (isInProgressElsewhere(error)) {
          inProgressElsewhere += 1;
          logger.warn(`${definition.inputName} is being handled by another attempt; retrying after the visibility timeout`, { ...current, ...generated, eventId });
        } else {
          logger.error('record processing failed', { ...current, ...generated, eventId, error: error as Error });
        }
        throw error;
      }
    },
    context,
  );

  // 2. publish (in record order, so FIFO outputs keep their source order)
  const publishFailures = new Map<string, FailedResult>();
  const messages = event.Records.flatMap((record) => outputs.get(record.messageId) ?? []);
  if (messages.length > 0 && definition.output) {
    const results = await definition.output.publisher.publish(definition.output.queueUrl, messages);
    let sent = 0;
    let retries = 0;
    for (const result of results) {
      retries += Math.max(0, result.attempts - 1);
      if (result.status === 'sent') {
        sent += 1;
        continue;
      }
      publishFailures.set(result.key, result);
      logger.error(`downstream publish failed: ${result.code}: ${result.reason}`, {
        ...consumed.get(result.key),
        code: result.code,
        senderFault: result.senderFault,
        attempts: result.attempts,
      });
    }
    metrics.addMetric(MetricName.MessagesPublished, MetricUnit.Count, sent);
    metrics.addMetric(MetricName.PublishFailures, MetricUnit.Count, publishFailures.size);
    metrics.addMetric(MetricName.PublishRetries, MetricUnit.Count, retries);
  }

  // 3. report
  const failedWhileDeciding = new Set(decided.batchItemFailures.map((failure) => failure.itemIdentifier));
  const response =
    failedWhileDeciding.size === 0 && publishFailures.size === 0
      ? decided
      : await processPartialBatch(
          event,
          async (record: SQSRecord) => {
            if (failedWhileDeciding.has(record.messageId)) throw new RecordAlreadyFailedError(record.messageId);
            const publishFailure = publishFailures.get(record.messageId);
            if (publishFailure) throw new DownstreamPublishError(publishFailure);
          },
          context,
        );

  metrics.addMetric(MetricName.RecordsReceived, MetricUnit.Count, event.Records.length);
  metrics.addMetric(MetricName.RecordsFailed, MetricUnit.Count, response.batchItemFailures.length);
  metrics.addMetric(MetricName.InvalidMessages, MetricUnit.Count, invalidMessages);
  metrics.addMetric(MetricName.DuplicatesSkipped, MetricUnit.Count, duplicates);
  metrics.addMetric(MetricName.InProgressElsewhere, MetricUnit.Count, inProgressElsewhere);
  logger.info('batch processed', {
    records: event.Records.length,
    fifo: isFifoSource(event),
    published: messages.length - publishFailures.size,
    duplicates,
    failed: response.batchItemFailures.length,
    failedMessageIds: response.batchItemFailures.map((failure) => failure.itemIdentifier),
  });
  return response;
}
