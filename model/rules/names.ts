/**
 * Checks a derived name or description against AWS's rules for it (`NAME_RULES` in limits.ts),
 * reporting the user's input that produced it: `function "x" (qa): name must keep the IAM role name
 * "qa-…-role" within 64 characters (it has 71), but "…" was provided; shorten …`.
 */
import type { NameRule } from '../limits';
import type { Problems, Subject } from '../problems';

export interface DerivedName {
  readonly subject: Subject;
  /** The user's field the name comes from, e.g. `name`. */
  readonly field: string;
  /** The value the user gave for it. */
  readonly provided: unknown;
  /** The name (or description) as it would be created. */
  readonly value: string;
  readonly rule: NameRule;
  /** How to fix it, when shortening is not the obvious answer. */
  readonly fix?: string;
}

/** Reports every way `name` breaks its rule; returns whether it is valid. */
export function checkDerivedName(problems: Problems, name: DerivedName): boolean {
  const { rule, value } = name;
  const length = rule.unit === 'bytes' ? Buffer.byteLength(value, 'utf8') : value.length;
  const unit = rule.unit ?? 'characters';
  let valid = true;
  if (length > rule.max) {
    problems.add(
      name.subject,
      name.field,
      `must keep the ${rule.what} "${value}" within ${rule.max} ${unit} (it has ${length})`,
      name.provided,
      name.fix ?? `shorten it by ${length - rule.max} ${unit}`,
    );
    valid = false;
  } else if (rule.min !== undefined && length < rule.min) {
    problems.add(name.subject, name.field, `must make the ${rule.what} "${value}" at least ${rule.min} ${unit} long`, name.provided, name.fix);
    valid = false;
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    problems.add(name.subject, name.field, `must keep the ${rule.what} "${value}" to ${rule.allowed}`, name.provided, name.fix);
    valid = false;
  }
  return valid;
}

/** S3's bucket rules beyond length and characters; returns what is wrong, if anything. */
export function s3BucketNameProblem(bucket: string): string | undefined {
  if (bucket.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return 'must not look like an IP address';
  const prefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((reserved) => bucket.startsWith(reserved));
  if (prefix) return `must not start with the reserved prefix "${prefix}"`;
  const suffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].find((reserved) => bucket.endsWith(reserved));
  if (suffix) return `must not end with the reserved suffix "${suffix}"`;
  return undefined;
}
