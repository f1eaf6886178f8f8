/**
 * Partial batch responses with Powertools batch: a standard source is processed with
 * `BatchProcessor` (records in parallel), a FIFO source (event source ARN ending `.fifo`) with
 * `SqsFifoPartialProcessorAsync` and `skipGroupOnError: true` (records in order; after the first
 * failure in a message group that record and every later record of that group only are
 * reported failed, without running the handler for them).
 */
import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** True when the batch comes from a FIFO queue. */
export function isFifoSource(event: SQSEvent): boolean {
  return event.Records.some((record) => record.eventSourceARN?.endsWith('.fifo'));
}

/**
 * Runs `recordHandler` over the batch and returns `{ batchItemFailures }` for the records whose
 * handler threw (or were skipped after a failure in their FIFO group). Never throws because all
 * records failed (`throwOnFullBatchFailure: false`): a batch of only bad records is still a
 * partial response, not an invocation error.
 */
export function processPartialBatch(
  event: SQSEvent,
  recordHandler: (record: SQSRecord) => Promise<void>,
  context: Context,
): Promise<SQSBatchResponse> {
  if (isFifoSource(event)) {
    return processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
  }
  return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
    context,
    throwOnFullBatchFailure: false,
  });
}
