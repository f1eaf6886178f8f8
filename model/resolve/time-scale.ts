/**
 * Shorter timings for a local run (`npm start -- --fast`): a message that keeps failing needs
 * maxReceiveCount × the visibility timeout to reach its DLQ (order queue: 3 × 60 s). Function
 * timeouts and queue visibility are divided, and visibility is kept at the model's own minimum for
 * the queue's consumer ({@link requiredVisibilitySeconds}), so the rule still holds.
 *
 * Local runs only; the graphs the stacks and templates render are never scaled.
 */
import type { ResolvedEnvironment, ResolvedFunction, ResolvedQueue } from './resolved';
import { requiredVisibilitySeconds } from './function';

export interface TimingChange {
  readonly what: 'queue' | 'function';
  /** Queue or function name, e.g. `development-order-queue`. */
  readonly name: string;
  readonly field: 'visibilityTimeoutSeconds' | 'timeoutSeconds';
  readonly from: number;
  readonly to: number;
}

/** The divisor `--fast` uses, and the range it accepts. */
export const TIME_DIVISOR = { default: 10, min: 1, max: 60 } as const;

/** Returns `environment` with timeouts divided by `divisor`, and what changed. */
export function scaleTimings(environment: ResolvedEnvironment, divisor: number = TIME_DIVISOR.default): { environment: ResolvedEnvironment; changes: TimingChange[] } {
  if (!(divisor >= TIME_DIVISOR.min && divisor <= TIME_DIVISOR.max)) {
    throw new RangeError(`time divisor must be between ${TIME_DIVISOR.min} and ${TIME_DIVISOR.max}, but ${divisor} was provided`);
  }
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
      ...functions.filter((fn) => fn.consumes?.queue === queue.name).map((fn) => requiredVisibilitySeconds(fn.timeoutSeconds, fn.consumes!.maximumBatchingWindowSeconds)),
    );
    const visibilityTimeoutSeconds = Math.min(queue.visibilityTimeoutSeconds, Math.max(Math.ceil(queue.visibilityTimeoutSeconds / divisor), floor));
    if (visibilityTimeoutSeconds !== queue.visibilityTimeoutSeconds) {
      changes.push({ what: 'queue', name: queue.queueName, field: 'visibilityTimeoutSeconds', from: queue.visibilityTimeoutSeconds, to: visibilityTimeoutSeconds });
    }
    return { ...queue, visibilityTimeoutSeconds };
  });
  return { environment: { ...environment, functions, queues }, changes };
}

/** One line per change, for a start-up banner. */
export function describeTimingChanges(changes: readonly TimingChange[]): string[] {
  return changes.map((change) => `${change.name}: ${change.field === 'timeoutSeconds' ? 'timeout' : 'visibility timeout'} ${change.from} s → ${change.to} s`);
}
