/** Splitting messages into SendMessageBatch requests by count and by bytes. */

/** Limits of one request. */
export interface BatchLimits {
  /** Most entries per request. Range 1–10. */
  readonly maxEntries: number;
  /** Most bytes per request (sum of the entries' sizes). */
  readonly maxBytes: number;
}

/**
 * Greedy, order-preserving split of `items` into batches that respect both limits: a batch is
 * closed when the next item would exceed either. Every item must itself fit in `maxBytes`
 * (the publisher rejects larger ones before planning).
 */
export function planBatches<T>(items: readonly T[], sizeOf: (item: T) => number, limits: BatchLimits): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxEntries || currentBytes + bytes > limits.maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
