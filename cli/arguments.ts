/**
 * Command-line argument checks shared by `npm start` (cli/options.ts) and `npm run ops` (ops/):
 * numbers and paths read from node:util's parseArgs values, each rejected with a message naming
 * the flag, the value given and the fix, and parseArgs' own messages rewritten the same way.
 */

/** A usage error: the command prints it and exits with status 2, having changed nothing. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagValues = Readonly<Record<string, unknown>>;

/** A whole number between min and max, or `fallback` when the flag is absent. */
export function integerFlag(values: FlagValues, flag: string, fallback: number, min: number, max: number): number {
  const value = numberFlag(values, flag, fallback, min, max);
  if (!Number.isInteger(value)) throw new UsageError(`--${flag} must be a whole number between ${min} and ${max}, but "${values[flag]}" was provided; e.g. --${flag} ${fallback}`);
  return value;
}

/** A number between min and max, or `fallback` when the flag is absent. */
export function numberFlag(values: FlagValues, flag: string, fallback: number, min: number, max: number): number {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be a number between ${min} and ${max}, but "${raw}" was provided; e.g. --${flag} ${fallback}`);
  }
  return value;
}

/** A non-empty path, or `fallback` when the flag is absent. */
export function pathFlag(values: FlagValues, flag: string, fallback: string): string {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError(`--${flag} must be a file path, but "${raw}" was provided; e.g. --${flag} ${fallback}`);
  return raw;
}

/**
 * node:util's parseArgs messages, rewritten to name the fix.
 * @param help the command that prints the options, e.g. `npm start -- --help`
 */
export function explainParseError(error: Error, argv: readonly string[], help: string): string {
  const ambiguous = /Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(error.message);
  if (ambiguous) {
    const value = argv[argv.indexOf(ambiguous[1]!) + 1] ?? '';
    return `${ambiguous[1]} was given "${value}", which looks like another option; if it is the value, write ${ambiguous[1]}=${value}`;
  }
  const unknown = /Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return `unknown option ${unknown[1]}; run "${help}" for the list of options`;
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(error.message);
  if (missing) return `${missing[1]} needs a value, e.g. ${missing[1]} 10; run "${help}" for details`;
  const positional = /Unexpected argument '([^']+)'/.exec(error.message);
  if (positional) return `unexpected argument "${positional[1]}": options start with --; run "${help}"`;
  const boolean = /Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(error.message);
  if (boolean) return `${boolean[1]} is a switch and takes no value; write just ${boolean[1]}`;
  return `${error.message}; run "${help}" for the list of options`;
}
