/**
 * What the mappings delivered, keyed by correlation id: which functions processed (deleted) a
 * message carrying it, and how often. Fed from `onInvocation`; used by the demo check and tests to
 * follow an order through every service.
 */
import type { InvocationReport } from './event-source-mapping';

export class DeliveryLog {
  /** functionName → correlationId → times processed successfully. */
  private readonly processed = new Map<string, Map<string, number>>();
  /** functionName → correlationId → deliveries (successful or not). */
  private readonly delivered = new Map<string, Map<string, number>>();

  /** Pass this as (or call it from) the pipeline's `onInvocation`. */
  readonly record = (report: InvocationReport): void => {
    const deleted = new Set(report.deleted);
    for (const record of report.records) {
      const correlationId = record.messageAttributes.correlationId?.stringValue ?? '(none)';
      bump(this.delivered, report.functionName, correlationId);
      if (deleted.has(record.messageId)) bump(this.processed, report.functionName, correlationId);
    }
  };

  /** Correlation ids `functionName` processed successfully, with counts. */
  processedBy(functionName: string): ReadonlyMap<string, number> {
    return this.processed.get(functionName) ?? new Map();
  }

  deliveredTo(functionName: string): ReadonlyMap<string, number> {
    return this.delivered.get(functionName) ?? new Map();
  }
}

function bump(map: Map<string, Map<string, number>>, functionName: string, correlationId: string): void {
  let counts = map.get(functionName);
  if (!counts) map.set(functionName, (counts = new Map()));
  counts.set(correlationId, (counts.get(correlationId) ?? 0) + 1);
}
