/** Delays between retries: exponential with "full jitter" (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). */

/** Backoff settings. */
export interface BackoffOptions {
  /** Upper bound of the first delay, in ms. */
  readonly baseDelayMs: number;
  /** Upper bound of any delay, in ms. */
  readonly maxDelayMs: number;
  /** Source of randomness in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * Delay before retry number `retry` (1 = first retry): uniformly random in
 * `[0, min(maxDelayMs, baseDelayMs × 2^(retry-1)))`. Full jitter spreads retries of many
 * concurrent senders so they do not hit a throttled queue in lockstep.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}
