/**
 * `--fast`: shorter visibility timeouts for a quick local run, without breaking the rule the spec
 * enforces. With the real settings a message that keeps failing needs maxReceiveCount × the
 * visibility timeout to reach its DLQ (order queue: 3 × 60 s); dividing visibility alone would make
 * visibility < 6 × function timeout, so function timeouts are divided too and visibility is kept at
 * least 6 × the (new) timeout + batching window of the queue's consumer.
 *
 * This changes the local run only; the resolved spec the renderers deploy is untouched.
 */
import { VISIBILITY_TO_TIMEOUT_FACTOR, type ResolvedEnvironment, type ResolvedFunction, type ResolvedQueue } from '../constructs/spec';

export interface TimingChange {
  readonly what: 'queue' | 'function';
  /** Queue or function name, e.g. `development-order-queue`. */
  readonly name: string;
  readonly field: 'visibilityTimeoutSeconds' | 'timeoutSeconds';
  readonly from: number;
  readonly to: number;
}

export interface FastTimingsOptions {
  /** Divide timeouts by this. Range 1 – 60. @default 10 */
  readonly divisor?: number;
}

/** Returns a copy of `environment` with shortened timeouts, and the list of what changed. */
export function fastTimings(environment: ResolvedEnvironment, options: FastTimingsOptions = {}): { environment: ResolvedEnvironment; changes: TimingChange[] } {
  const divisor = options.divisor ?? 10;
  if (!(divisor >= 1 && divisor <= 60)) throw new RangeError(`fast timings divisor must be between 1 and 60, but ${divisor} was provided`);
  const changes: TimingChange[] = [];
  // Lambda timeouts are whole seconds (1 s at least), so the division rounds up.
  const functions: ResolvedFunction[] = environment.functions.map((fn) => {
    const timeoutSeconds = Math.max(1, Math.ceil(fn.timeoutSeconds / divisor));
    if (timeoutSeconds !== fn.timeoutSeconds) changes.push({ what: 'function', name: fn.functionName, field: 'timeoutSeconds', from: fn.timeoutSeconds, to: timeoutSeconds });
    return { ...fn, timeoutSeconds };
  });
  const queues: ResolvedQueue[] = environment.queues.map((queue) => {
    const floor = Math.max(
      0,
      ...functions
        .filter((fn) => fn.consumes?.queue === queue.name)
        .map((fn) => VISIBILITY_TO_TIMEOUT_FACTOR * fn.timeoutSeconds + fn.consumes!.maximumBatchingWindowSeconds),
    );
    const visibilityTimeoutSeconds = Math.min(queue.visibilityTimeoutSeconds, Math.max(Math.ceil(queue.visibilityTimeoutSeconds / divisor), floor));
    if (visibilityTimeoutSeconds !== queue.visibilityTimeoutSeconds) {
      changes.push({ what: 'queue', name: queue.queueName, field: 'visibilityTimeoutSeconds', from: queue.visibilityTimeoutSeconds, to: visibilityTimeoutSeconds });
    }
    return { ...queue, visibilityTimeoutSeconds };
  });
  return { environment: { ...environment, functions, queues }, changes };
}

/** One line per change, for the start-up banner. */
export function describeTimingChanges(changes: readonly TimingChange[]): string[] {
  return changes.map((change) => `${change.name}: ${change.field === 'timeoutSeconds' ? 'timeout' : 'visibility timeout'} ${change.from} s → ${change.to} s`);
}
