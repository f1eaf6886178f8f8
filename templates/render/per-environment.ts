/**
 * Turns "one value per environment" into template syntax: a literal when every environment agrees,
 * otherwise a `Fn::FindInMap` into a mapping keyed by the `Environment` parameter. Structural
 * differences (a resource or statement that exists in some environments only) become Conditions
 * on the `Environment` parameter.
 */
import type { EnvironmentName } from '../../constructs/spec';
import { equals, findInMap, fnIf, or, ref, type CfnMappings, type CfnValue } from './cfn';

export type Scalar = string | number | boolean;

/**
 * One entry per environment, in the order of {@link EnvironmentValues.environments}; `undefined`
 * where the value does not apply (e.g. the KMS key ARN of an environment without KMS).
 */
export type PerEnvironment<T> = readonly (T | undefined)[];

/** Where a structural choice holds. */
export type ConditionRef = { readonly kind: 'always' } | { readonly kind: 'never' } | { readonly kind: 'some'; readonly name: string };

const MAPPING_NAME = /^[A-Za-z0-9]+$/;
/** CloudFormation: at most 200 second-level keys per top-level key. */
const MAX_MAPPING_ATTRIBUTES = 200;

export class EnvironmentValues {
  /** mapping → key → values per environment. */
  private readonly values = new Map<string, Map<string, PerEnvironment<Scalar>>>();
  /** condition name → the environments it holds in (as flags). */
  private readonly conditionFlags = new Map<string, readonly boolean[]>();

  constructor(
    readonly environments: readonly EnvironmentName[],
    /** Name of the template parameter holding the environment. */
    readonly parameter = 'Environment',
  ) {}

  /** Builds a per-environment list by calling `f` for each environment index. */
  each<T>(f: (index: number) => T | undefined): PerEnvironment<T> {
    return this.environments.map((_, index) => f(index));
  }

  /**
   * The literal when all environments where the value applies agree; otherwise a lookup of
   * `key` in `mapping` (registered with the value of each applicable environment).
   */
  value(mapping: string, key: string, perEnvironment: PerEnvironment<Scalar>): CfnValue {
    this.checkLength(perEnvironment);
    const defined = perEnvironment.filter((item): item is Scalar => item !== undefined);
    if (defined.length === 0) throw new Error(`${mapping}.${key}: no environment has a value`);
    if (defined.every((item) => item === defined[0])) return defined[0]!;
    if (!MAPPING_NAME.test(mapping) || !MAPPING_NAME.test(key)) throw new Error(`mapping "${mapping}" / key "${key}" must be letters and digits`);
    const keys = this.values.get(mapping) ?? new Map<string, PerEnvironment<Scalar>>();
    // The same values under another key of this mapping (an alarm's queue name is the queue's name): reuse it.
    const twin = [...keys].find(([other, values]) => other !== key && sameList(values, perEnvironment));
    if (twin && !keys.has(key)) return findInMap(mapping, ref(this.parameter), twin[0]);
    const known = keys.get(key);
    if (known && !sameList(known, perEnvironment)) {
      throw new Error(`${mapping}.${key} registered twice with different values: ${JSON.stringify(known)} and ${JSON.stringify(perEnvironment)}`);
    }
    keys.set(key, perEnvironment);
    this.values.set(mapping, keys);
    return findInMap(mapping, ref(this.parameter), key);
  }

  /**
   * A condition that holds in the environments whose flag is true. Tries `names` in order and
   * takes the first that is free or already means the same environments, so settings that vary
   * alike share one condition (`Tracing`) and others get a specific name (`OrderServiceTracing`).
   */
  condition(names: readonly string[], flags: readonly boolean[]): ConditionRef {
    this.checkLength(flags);
    if (flags.every(Boolean)) return { kind: 'always' };
    if (!flags.some(Boolean)) return { kind: 'never' };
    for (const name of names) {
      const known = this.conditionFlags.get(name);
      if (known === undefined) {
        if (!MAPPING_NAME.test(name)) throw new Error(`condition name "${name}" must be letters and digits`);
        this.conditionFlags.set(name, flags);
        return { kind: 'some', name };
      }
      if (sameList(known, flags)) return { kind: 'some', name };
    }
    throw new Error(`no free condition name among ${names.join(', ')} for ${JSON.stringify(flags)}`);
  }

  /**
   * `whenTrue` where the condition holds, `whenFalse` elsewhere (no `Fn::If` when it is all or
   * nothing). Pass a function for a branch that must only be computed when it is used.
   */
  choose(condition: ConditionRef, whenTrue: Lazy<CfnValue>, whenFalse: Lazy<CfnValue>): CfnValue {
    switch (condition.kind) {
      case 'always':
        return force(whenTrue);
      case 'never':
        return force(whenFalse);
      case 'some':
        return fnIf(condition.name, force(whenTrue), force(whenFalse));
    }
  }

  /** The Mappings section: mappings in first-use order, environments in parameter order. */
  mappings(): CfnMappings {
    const result: CfnMappings = {};
    for (const [mapping, keys] of this.values) {
      const byEnvironment: Record<string, Record<string, Scalar>> = {};
      this.environments.forEach((environment, index) => {
        const entries = [...keys].filter(([, values]) => values[index] !== undefined).map(([key, values]) => [key, values[index]!] as const);
        if (entries.length > MAX_MAPPING_ATTRIBUTES) throw new Error(`mapping ${mapping} has ${entries.length} keys for ${environment}; CloudFormation allows ${MAX_MAPPING_ATTRIBUTES}`);
        if (entries.length > 0) byEnvironment[environment] = Object.fromEntries(entries);
      });
      result[mapping] = byEnvironment;
    }
    return result;
  }

  /** The Conditions section: each condition as `Environment` ∈ {its environments}. */
  conditions(): Record<string, CfnValue> {
    const result: Record<string, CfnValue> = {};
    for (const [name, flags] of this.conditionFlags) {
      const tests = this.environments.filter((_, index) => flags[index]).map((environment) => equals(ref(this.parameter), environment));
      result[name] = tests.length === 1 ? tests[0]! : or(tests);
    }
    return result;
  }

  private checkLength(list: readonly unknown[]): void {
    if (list.length !== this.environments.length) throw new Error(`expected one value per environment (${this.environments.length}), got ${list.length}`);
  }
}

/** A value, or a function computing it only when the branch is taken (a mapping key exists only where it applies). */
export type Lazy<T> = T | (() => T);

function force<T>(value: Lazy<T>): T {
  return typeof value === 'function' ? (value as () => T)() : value;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
