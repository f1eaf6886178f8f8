/**
 * One structured record per invocation of a consumer (what the mapping delivered, how the function
 * answered, what that means for each message), written as JSON lines to `.local/logs/invocations.jsonl`.
 * It answers the operator's question "why is this message being retried": a whole-batch failure
 * (error, timeout, crash, unusable response) names its reason here, not only in a counter.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { InvocationReport } from './event-source-mapping';
import type { InvokeOutcome } from './lambda-process';

/** How an invocation ended, as an operator reads it. */
export type InvocationOutcome =
  /** Every record succeeded and was deleted. */
  | 'ok'
  /** Some records were reported failed (or held back by failure injection); the others were deleted. */
  | 'partial'
  /** The handler threw: the whole batch returns after the visibility timeout. */
  | 'error'
  /** The function ran past its timeout: the whole batch returns. */
  | 'timeout'
  /** The execution environment died during the invocation: the whole batch returns. */
  | 'crash'
  /** The response was not a usable batch response (e.g. an unknown itemIdentifier): the whole batch returns. */
  | 'invalid-response';

export interface InvocationRecord {
  /** ISO 8601 time the record was written (the invocation's end). */
  readonly time: string;
  readonly function: string;
  readonly outcome: InvocationOutcome;
  /** Why the records that failed failed; absent when the outcome is `ok`. */
  readonly reason?: string;
  readonly durationMs?: number;
  readonly coldStart?: boolean;
  /** Every record of the batch: message id, correlation id and receive count. */
  readonly records: readonly { readonly messageId: string; readonly correlationId?: string; readonly receiveCount: number }[];
  /** Message ids left on the queue for another attempt. */
  readonly failed: readonly string[];
  /** Message ids that failed on their last allowed receive: the next receive moves them to the DLQ. */
  readonly deadLettering?: readonly string[];
  /** Message ids processed but not deleted (server unreachable): they will be delivered again. */
  readonly undeleted?: readonly string[];
}

/** The record of one settled batch. */
export function invocationRecord(report: InvocationReport, now = new Date()): InvocationRecord {
  const { settlement, outcome } = report;
  const everyRecord = [...report.records];
  const injected = new Set(report.injected);
  const failed = [...new Set([...settlement.failed, ...report.injected])];
  const kind: InvocationOutcome =
    settlement.kind === 'partial'
      ? failed.length === 0
        ? 'ok'
        : 'partial'
      : !outcome || outcome.ok
        ? 'invalid-response'
        : outcome.timedOut
          ? 'timeout'
          : outcome.crashed
            ? 'crash'
            : 'error';
  const reasons: string[] = [];
  if (settlement.kind === 'batch-failed') reasons.push(settlement.reason);
  else if (settlement.failed.length > 0) reasons.push(`the function reported ${settlement.failed.length} record(s) in batchItemFailures`);
  if (injected.size > 0) reasons.push(`${injected.size} record(s) failed by --failure-rate injection before the function saw them`);
  if (report.undeleted.length > 0) reasons.push(`${report.undeleted.length} processed record(s) could not be deleted (queue unreachable) and will be delivered again`);
  return {
    time: now.toISOString(),
    function: report.functionName,
    outcome: kind,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    ...(outcome ? { durationMs: outcome.durationMs, coldStart: outcome.coldStart } : {}),
    records: everyRecord.map((record) => ({
      messageId: record.messageId,
      ...(record.messageAttributes.correlationId?.stringValue ? { correlationId: record.messageAttributes.correlationId.stringValue } : {}),
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
    })),
    failed,
    ...(report.deadLettering.length > 0 ? { deadLettering: report.deadLettering } : {}),
    ...(report.undeleted.length > 0 ? { undeleted: report.undeleted } : {}),
  };
}

/** Appends invocation records to a JSON-lines file. Nothing is kept in memory. */
export class InvocationLog {
  private readonly stream: WriteStream;

  /** @param file e.g. `.local/logs/invocations.jsonl`; truncated at start (one file per run) */
  constructor(readonly file: string) {
    this.stream = createWriteStream(file, { flags: 'w' });
    // A full disk must not take the runner down; the function logs say the same.
    this.stream.on('error', () => {});
  }

  /** Pass as (or call from) `onInvocation`. */
  readonly record = (report: InvocationReport): void => {
    this.stream.write(JSON.stringify(invocationRecord(report)) + '\n');
  };

  /**
   * Records an invocation through a function URL: failures only (error, timeout, crash — the caller
   * got a 502), since every successful request already has its answer and its own log lines.
   */
  recordUrlInvocation(functionName: string, outcome: InvokeOutcome): void {
    if (outcome.ok) return;
    const kind: InvocationOutcome = outcome.timedOut ? 'timeout' : outcome.crashed ? 'crash' : 'error';
    this.stream.write(
      JSON.stringify({
        time: new Date().toISOString(),
        function: functionName,
        trigger: 'function-url',
        outcome: kind,
        reason: `${outcome.error.name}: ${outcome.error.message} (the caller got 502)`,
        durationMs: outcome.durationMs,
        coldStart: outcome.coldStart,
      }) + '\n',
    );
  }

  /** Writes a line about the run itself (an environment or the server died, was replaced, …). */
  note(event: string, details: Readonly<Record<string, unknown>>): void {
    this.stream.write(JSON.stringify({ time: new Date().toISOString(), event, ...details }) + '\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}
