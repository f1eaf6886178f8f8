/**
 * Collects every violation found while resolving a spec and throws them once, in one message
 * style: `<subject> (<environment>): <field> <requirement>, but <value> was provided[; <fix>]`.
 */
import type { NumericLimit } from './limits';
import type { EnvironmentName } from './input';
import type { SpecWarning } from './resolve/resolved';

/** Thrown once with every violation; nothing is synthesized when it is thrown. */
export class SpecValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid messaging spec: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
    this.name = 'SpecValidationError';
  }
}

/** Shows a provided value the way the user wrote it, with its type when that is the problem. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value !== 'object') return String(value);
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    return `an instance of ${(value as object).constructor?.name ?? 'a class'}`;
  }
  const text = safeJson(value);
  return Array.isArray(value) ? `an array (${text})` : `an object (${text})`;
}

/** JSON of a value for a message: short, and never throwing on cycles or BigInts. */
function safeJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = '…';
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function describeTyped(value: unknown): string {
  const shown = describeValue(value);
  return typeof value === 'string' ? `${shown} (a string)` : shown;
}

/** A warning as one line: `queue "order" (production): <message>`. */
export function formatWarning(warning: SpecWarning): string {
  return `${warning.subject} (${warning.environment}): ${warning.message}`;
}

/** Where a problem is: `queue "order" (production)`. */
export interface Subject {
  readonly kind: 'queue' | 'function' | 'environment' | 'topology' | 'construct';
  readonly name?: string;
  readonly environment?: string;
}

export function describeSubject(subject: Subject): string {
  const what = subject.name === undefined ? subject.kind : `${subject.kind} "${subject.name}"`;
  return subject.environment === undefined ? what : `${what} (${subject.environment})`;
}

export class Problems {
  private readonly problems: string[] = [];
  private readonly warnings: SpecWarning[] = [];

  /** Records `<subject>: <field> <requirement>, but <value> was provided[; fix]`. */
  add(subject: Subject, field: string, requirement: string, value: unknown, fix?: string): void {
    this.push(subject, field, requirement, describeValue(value), fix);
  }

  /** Like {@link add}, but says when a string was given where a number or boolean was expected. */
  private addTyped(subject: Subject, field: string, requirement: string, value: unknown): void {
    this.push(subject, field, requirement, describeTyped(value));
  }

  private push(subject: Subject, field: string, requirement: string, shown: string, fix?: string): void {
    this.problems.push(`${describeSubject(subject)}: ${field} ${requirement}, but ${shown} was provided${fix ? `; ${fix}` : ''}`);
  }

  /** Records a problem that is not about one provided value. */
  addMessage(subject: Subject, message: string): void {
    this.problems.push(`${describeSubject(subject)}: ${message}`);
  }

  warn(subject: Subject & { readonly environment: EnvironmentName }, message: string): void {
    this.warnings.push({ subject: describeSubject({ ...subject, environment: undefined }), environment: subject.environment, message });
  }

  get count(): number {
    return this.problems.length;
  }

  /** The warnings found for one environment. */
  warningsFor(environment: EnvironmentName): readonly SpecWarning[] {
    return this.warnings.filter((warning) => warning.environment === environment);
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new SpecValidationError(this.problems);
  }

  /** Checks a whole number within a limit; returns whether it is valid. */
  integerInRange(subject: Subject, field: string, value: unknown, limit: NumericLimit): value is number {
    const unit = limit.unit ? ` ${limit.unit}` : '';
    const requirement = `must be a whole number between ${limit.min} and ${limit.max}${unit}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.addTyped(subject, field, requirement, value);
      return false;
    }
    if (value < limit.min || value > limit.max) {
      this.add(subject, field, `must be between ${limit.min} and ${limit.max}${unit}`, value);
      return false;
    }
    return true;
  }

  /** Checks a finite number within a limit (alarm thresholds may be fractional). */
  numberInRange(subject: Subject, field: string, value: unknown, limit: NumericLimit): value is number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < limit.min || value > limit.max) {
      this.addTyped(subject, field, `must be a number of at least ${limit.min}`, value);
      return false;
    }
    return true;
  }

  boolean(subject: Subject, field: string, value: unknown): value is boolean {
    if (typeof value !== 'boolean') {
      this.addTyped(subject, field, 'must be true or false', value);
      return false;
    }
    return true;
  }

  oneOf<T extends string | number>(subject: Subject, field: string, value: unknown, allowed: readonly T[]): value is T {
    if (!allowed.includes(value as T)) {
      this.add(subject, field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
      return false;
    }
    return true;
  }

  /** Reports fields a JavaScript caller passed that the spec does not know (typos). */
  knownFields(subject: Subject, where: string, value: object, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const suggestion = closest(key, known);
      this.addMessage(
        subject,
        `${where}unknown field "${key}"${suggestion ? `; did you mean "${suggestion}"?` : `; known fields: ${known.join(', ')}`}`,
      );
    }
  }

  /** Checks that a value is a plain object; reports it otherwise. */
  object(subject: Subject, field: string, value: unknown): value is Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(subject, field, 'must be an object', value);
      return false;
    }
    return true;
  }
}

/** The known name nearest to a misspelt one, when it is close enough to be a typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    const prefixMatch = candidate.toLowerCase().startsWith(word.toLowerCase());
    const score = prefixMatch ? Math.min(distance, 1) : distance;
    if (score < bestDistance) {
      best = candidate;
      bestDistance = score;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
