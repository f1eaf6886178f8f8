/**
 * Which functions processed the demo's messages, by correlation id: fed from `onInvocation`, used
 * by the demo check to follow each order through every service.
 *
 * Only the correlation ids the demo registered with {@link DeliveryLog.watch} are kept. Recording
 * every message seen (as this did before) grew by about 1 KB per order for as long as the run
 * served traffic — orders sent by hand or by an app included — and was never pruned.
 */
import type { InvocationReport } from '../local/event-source-mapping';

export class DeliveryLog {
  /** correlationId → functionName → times processed successfully. */
  private readonly processed = new Map<string, Map<string, number>>();

  /** Starts following these correlation ids. */
  watch(correlationIds: Iterable<string>): void {
    for (const id of correlationIds) if (!this.processed.has(id)) this.processed.set(id, new Map());
  }

  /** Pass this as (or call it from) `onInvocation`. */
  readonly record = (report: InvocationReport): void => {
    if (report.deleted.length === 0) return;
    const deleted = new Set(report.deleted);
    for (const record of report.records) {
      const counts = this.processed.get(record.messageAttributes.correlationId?.stringValue ?? '');
      if (!counts || !deleted.has(record.messageId)) continue;
      counts.set(report.functionName, (counts.get(report.functionName) ?? 0) + 1);
    }
  };

  /** Watched correlation ids that `functionName` processed at least once. */
  processedBy(functionName: string): Set<string> {
    const ids = new Set<string>();
    for (const [id, counts] of this.processed) if (counts.has(functionName)) ids.add(id);
    return ids;
  }

  /** How many correlation ids are followed (stays the demo's size however long the run serves). */
  get size(): number {
    return this.processed.size;
  }
}
