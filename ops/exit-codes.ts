/**
 * Exit statuses of `npm run ops` and the errors that carry them. A command that fails says why on
 * stderr in one message naming what to do next.
 */
import { UsageError } from '../cli/arguments';

export const EXIT = {
  /** Done. */
  ok: 0,
  /** SQS or CloudFormation failed, or a redrive ended FAILED or CANCELLED. */
  failed: 1,
  /** Bad input (flag, argument, file, environment, stack or queue): nothing was changed. */
  usage: 2,
  /** Refused because of the queue's state (a redrive already runs, nothing to cancel, purge without --yes): nothing was changed. */
  refused: 3,
} as const;

export { UsageError };

/** The operation was not done because of the state it found; nothing changed. */
export class RefusedError extends Error {
  override readonly name = 'RefusedError';
}
