/**
 * Checks a construct's props as plain JavaScript may pass them (missing, wrong types), so misuse
 * ends in one SpecValidationError naming the construct, the prop and the fix, never a TypeError.
 */
import { Problems, type Subject } from '../../model/problems';

/** What one prop must be: a test, the requirement in words, and how to fix it. */
export interface PropRule {
  readonly test: (value: unknown) => boolean;
  readonly requirement: string;
  readonly fix?: string;
  /** @default true */
  readonly required?: boolean;
}

export function checkProps(construct: string, id: string, props: unknown, rules: Readonly<Record<string, PropRule>>, example: string): Record<string, unknown> {
  const problems = new Problems();
  const subject: Subject = { kind: 'construct', name: `${construct} ${id}` };
  if (!problems.object(subject, 'props', props)) {
    problems.throwIfAny();
  }
  const values = props as Record<string, unknown>;
  for (const [name, rule] of Object.entries(rules)) {
    const value = values[name];
    if (value === undefined && rule.required === false) continue;
    if (!rule.test(value)) problems.add(subject, name, rule.requirement, value, rule.fix ?? `e.g. ${example}`);
  }
  problems.knownFields(subject, 'props: ', values, Object.keys(rules));
  problems.throwIfAny();
  return values;
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
