/** Turns schema validation errors into `{ field, message }` pairs that name the offending field. */
import type { core } from 'zod/mini';

/** One problem with one field, e.g. `{ field: 'orders[0].items[1].quantity', message: 'must be an integer of at least 1' }`. */
export interface FieldIssue {
  /** Path of the field in the validated value (`items[1].quantity`); `(root)` for the value itself. */
  readonly field: string;
  readonly message: string;
}

/** Formats a schema path as `a.b[2].c`, prefixed with `prefix` when given. */
export function formatFieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let text = prefix;
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
}

/** The issues of a failed validation, one per field and problem. */
export function fieldIssuesOf(error: core.$ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({ field: formatFieldPath(issue.path, prefix), message: issue.message }));
}

/** `field: message; field: message` for a single log line. */
export function describeFieldIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
}
