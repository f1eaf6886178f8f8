/**
 * Pacing of a message move task with `MaxNumberOfMessagesPerSecond`: messages are spread evenly,
 * the k-th (0-based) becoming due `k / rate` seconds after the task started. So no one-second
 * window [t, t + 1 s) ever sees more than `rate` moves, and a late tick catches up only on what was
 * already due, never ahead of the schedule.
 */

/** AWS's range for `MaxNumberOfMessagesPerSecond`. */
export const MIN_MESSAGES_PER_SECOND = 1;
export const MAX_MESSAGES_PER_SECOND = 500;

export class MovePacer {
  private readonly startedAt: number;
  private readonly ratePerSecond: number;

  /**
   * @param ratePerSecond messages per second, 1 – 500
   * @param startedAt clock reading (ms) when the task started
   */
  constructor(ratePerSecond: number, startedAt: number) {
    if (!Number.isInteger(ratePerSecond) || ratePerSecond < MIN_MESSAGES_PER_SECOND || ratePerSecond > MAX_MESSAGES_PER_SECOND) {
      throw new RangeError(`ratePerSecond must be an integer between ${MIN_MESSAGES_PER_SECOND} and ${MAX_MESSAGES_PER_SECOND}, but ${ratePerSecond} was provided`);
    }
    this.ratePerSecond = ratePerSecond;
    this.startedAt = startedAt;
  }

  /** How many more messages may move at `now`, given `moved` have moved so far (0 or more). */
  due(now: number, moved: number): number {
    const elapsedMs = Math.max(0, now - this.startedAt);
    const allowedSoFar = Math.floor((elapsedMs * this.ratePerSecond) / 1000) + 1;
    return Math.max(0, allowedSoFar - moved);
  }

  /** Clock reading at which message number `moved` (0-based) becomes due. */
  dueAt(moved: number): number {
    return this.startedAt + Math.ceil((moved * 1000) / this.ratePerSecond);
  }
}
