/**
 * How an event source mapping with `ReportBatchItemFailures` reads a consumer's answer, as AWS does
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting):
 *
 * - success for the whole batch: a null/empty response, a response without `batchItemFailures`, or
 *   an empty (or null) `batchItemFailures` list;
 * - only the listed records failed: every entry is `{ itemIdentifier: <messageId of this batch> }`;
 * - the whole batch failed: the invocation errored, timed out or crashed, the response is not an
 *   object, `batchItemFailures` is not a list, or any entry has a missing, empty, non-string or
 *   unknown `itemIdentifier` (or no `itemIdentifier` key at all).
 *
 * Failed records are not deleted; they return to the queue when their visibility timeout passes.
 */
import type { InvokeOutcome } from './lambda-process';

export type Settlement =
  | {
      readonly kind: 'partial';
      /** Message ids to delete. */
      readonly succeeded: readonly string[];
      /** Message ids left on the queue (they come back after the visibility timeout). */
      readonly failed: readonly string[];
    }
  | {
      readonly kind: 'batch-failed';
      /** Why the whole batch counts as failed, for logs. */
      readonly reason: string;
      readonly failed: readonly string[];
    };

/** Applies the invocation outcome to the message ids that were in the event, in event order. */
export function settleBatch(messageIds: readonly string[], outcome: InvokeOutcome): Settlement {
  const wholeBatch = (reason: string): Settlement => ({ kind: 'batch-failed', reason, failed: [...messageIds] });
  if (!outcome.ok) {
    const what = outcome.timedOut ? 'timed out' : outcome.crashed ? 'crashed' : 'threw';
    return wholeBatch(`function ${what}: ${outcome.error.name}: ${outcome.error.message}`);
  }
  const response = outcome.result;
  if (response === null || response === undefined) return { kind: 'partial', succeeded: [...messageIds], failed: [] };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return wholeBatch(`response is not a batch response object (got ${describe(response)})`);
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'partial', succeeded: [...messageIds], failed: [] };
  if (!Array.isArray(failures)) return wholeBatch(`batchItemFailures is not a list (got ${describe(failures)})`);

  const inBatch = new Set(messageIds);
  const failed = new Set<string>();
  for (const [index, entry] of failures.entries()) {
    const identifier = entry !== null && typeof entry === 'object' ? (entry as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof identifier !== 'string' || identifier === '') {
      return wholeBatch(`batchItemFailures[${index}] has no usable itemIdentifier (got ${describe(entry)})`);
    }
    if (!inBatch.has(identifier)) {
      return wholeBatch(`batchItemFailures[${index}].itemIdentifier "${identifier}" is not a message id of this batch`);
    }
    failed.add(identifier);
  }
  return {
    kind: 'partial',
    succeeded: messageIds.filter((id) => !failed.has(id)),
    failed: messageIds.filter((id) => failed.has(id)),
  };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
