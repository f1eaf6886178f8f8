/**
 * Turns one value per environment into one template value, generically: a literal where every
 * environment agrees; `Fn::Sub` with `${Environment}` where strings differ only by the environment's
 * name (`production-order-queue`); a `Fn::FindInMap` into `Mappings` where scalars differ otherwise;
 * and where something exists in some environments only (a property, a list item, a resource), a
 * Condition on the `Environment` parameter with `Fn::If` / `AWS::NoValue`. Conditions are named
 * after the environments they hold in (`IsProduction`, `IsStagingOrProduction`), so everything that
 * varies alike shares one.
 */
import { ACCOUNT_PLACEHOLDERS, pascalCase } from '../../model';
import { equals, findInMap, fnIf, isIntrinsic, NO_VALUE, or, ref, type CfnMappings, type CfnValue } from './cfn';

type Scalar = string | number | boolean;

/** Where a value is, for mapping names and messages: `OrderQueue` + `VisibilityTimeout`. */
export interface ValuePlace {
  /** Mapping the value goes to when it needs one (letters and digits). */
  readonly mapping: string;
  /** Key in that mapping (letters and digits). */
  readonly key: string;
}

/** CloudFormation: at most 200 second-level keys per top-level key of a mapping. */
const MAX_MAPPING_ATTRIBUTES = 200;
/** A logical id (condition name) has at most 255 characters. */
const MAX_LOGICAL_ID = 255;

export class EnvironmentMerge {
  /** mapping → key → one value per environment (undefined where it does not apply). */
  private readonly mappingValues = new Map<string, Map<string, readonly (Scalar | undefined)[]>>();
  /** The (mapping, key) already holding a list of values, so equal lists share one entry. */
  private readonly byValues = new Map<string, ValuePlace>();
  /** condition name → the environments it holds in. */
  private readonly conditionFlags = new Map<string, readonly boolean[]>();

  constructor(
    readonly environments: readonly string[],
    /** Name of the template parameter holding the environment. */
    readonly parameter = 'Environment',
  ) {}

  /**
   * Merges `values` (one per environment, undefined where the value's owner does not exist) into
   * one template value, valid in every environment where a value is given.
   */
  merge(values: readonly (CfnValue | undefined)[], place: ValuePlace): CfnValue {
    const present = values.map((value) => value !== undefined);
    const defined = values.filter((value): value is CfnValue => value !== undefined);
    if (defined.length === 0) throw new Error(`${place.mapping}.${place.key}: no environment has a value`);
    if (defined.every((value) => sameValue(value, defined[0]!))) return defined[0]!;

    if (defined.every(isPlainObject)) return this.mergeObjects(values as readonly (Record<string, CfnValue> | undefined)[], present, place);
    if (defined.every(Array.isArray)) {
      const keyed = listKey(defined as readonly (readonly CfnValue[])[]);
      if (keyed) return this.mergeKeyedLists(values as readonly (readonly CfnValue[] | undefined)[], keyed, place);
      const length = (defined[0] as readonly CfnValue[]).length;
      if (defined.every((list) => (list as readonly CfnValue[]).length === length)) {
        return Array.from({ length }, (_, index) =>
          this.merge(
            values.map((list) => (list as readonly CfnValue[] | undefined)?.[index]),
            { mapping: place.mapping, key: `${place.key}${index}` },
          ),
        );
      }
    }
    if (defined.every((value) => typeof value === 'string')) {
      const template = this.environmentTemplate(values as readonly (string | undefined)[], true);
      if (template === `\${${this.parameter}}`) return ref(this.parameter);
      if (template !== undefined) return { 'Fn::Sub': template };
    }
    // Account strings (`Fn::Sub` of an ARN) that differ only by the environment's name: one Fn::Sub.
    if (defined.every(isSubOfText)) {
      const template = this.environmentTemplate(values.map((value) => (value as { 'Fn::Sub': string } | undefined)?.['Fn::Sub']), false);
      if (template !== undefined) return { 'Fn::Sub': template };
    }
    if (defined.every(isScalar)) return this.lookup(values as readonly (Scalar | undefined)[], place);
    return this.choose(values);
  }

  /** A condition holding in the environments whose flag is true (`always`/`never` when all or none). */
  condition(flags: readonly boolean[]): { kind: 'always' } | { kind: 'never' } | { kind: 'some'; name: string } {
    if (flags.length !== this.environments.length) throw new Error(`expected ${this.environments.length} flags, got ${flags.length}`);
    if (flags.every(Boolean)) return { kind: 'always' };
    if (!flags.some(Boolean)) return { kind: 'never' };
    const members = this.environments.filter((_, index) => flags[index]);
    let name = `Is${members.map(pascalCase).join('Or')}`;
    if (name.length > MAX_LOGICAL_ID) name = `IsOneOf${this.conditionFlags.size + 1}Environments`;
    const known = this.conditionFlags.get(name);
    if (known && !sameList(known, flags)) throw new Error(`condition ${name} would mean two sets of environments`);
    this.conditionFlags.set(name, flags);
    return { kind: 'some', name };
  }

  /** `value` where `flags` hold, `AWS::NoValue` elsewhere. */
  onlyWhere(flags: readonly boolean[], value: CfnValue): CfnValue {
    const condition = this.condition(flags);
    if (condition.kind === 'always') return value;
    if (condition.kind === 'never') return NO_VALUE;
    return fnIf(condition.name, value, NO_VALUE);
  }

  /** The Mappings section: mappings in first-use order, environments in parameter order. */
  mappings(): CfnMappings {
    const result: CfnMappings = {};
    for (const [mapping, keys] of this.mappingValues) {
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

  private mergeObjects(values: readonly (Record<string, CfnValue> | undefined)[], present: readonly boolean[], place: ValuePlace): CfnValue {
    const keys = [...new Set(values.flatMap((value) => (value ? Object.keys(value) : [])))];
    const merged: Record<string, CfnValue> = {};
    for (const key of keys) {
      const items = values.map((value) => value?.[key]);
      const has = items.map((item) => item !== undefined);
      const value = this.merge(items, { mapping: place.mapping, key: `${place.key}${keyPart(key)}` });
      merged[key] = sameList(has, present) ? value : this.onlyWhere(has, value);
    }
    return merged;
  }

  private mergeKeyedLists(values: readonly (readonly CfnValue[] | undefined)[], key: string, place: ValuePlace): CfnValue {
    const order: string[] = [];
    for (const list of values) for (const item of list ?? []) if (!order.includes(itemKey(item, key))) order.push(itemKey(item, key));
    const present = values.map((list) => list !== undefined);
    return order.map((name) => {
      const items = values.map((list) => list?.find((item) => itemKey(item, key) === name));
      const has = items.map((item) => item !== undefined);
      // A tag's value is the same thing wherever it is used: one shared `Tags` mapping.
      const itemPlace = key === 'Key' ? { mapping: 'Tags', key: keyPart(name) } : { mapping: place.mapping, key: `${place.key}${keyPart(name)}` };
      const value = this.merge(items, itemPlace);
      return sameList(has, present) ? value : this.onlyWhere(has, value);
    });
  }

  /**
   * The `Fn::Sub` template every value becomes once its environment's name is `${Environment}`,
   * when that template is the same for every environment (then it gives back each value exactly).
   */
  private environmentTemplate(values: readonly (string | undefined)[], literal: boolean): string | undefined {
    let template: string | undefined;
    for (const [index, value] of values.entries()) {
      if (value === undefined) continue;
      const environment = this.environments[index]!;
      // In literal text `${` is written `${!`; a Fn::Sub text already is a template.
      const own = (literal ? value.split('${').join('${!') : value).split(environment).join(`\${${this.parameter}}`);
      if (!own.includes(`\${${this.parameter}}`)) return undefined;
      if (template !== undefined && own !== template) return undefined;
      template = own;
    }
    // The environment's name must not have been replaced inside a placeholder (`${AWS::Region}`).
    const placeholders = [...(template ?? '').matchAll(/\$\{([^!}][^}]*)\}/g)].map((match) => match[1]!);
    if (!placeholders.every((name) => name === this.parameter || SUB_PLACEHOLDERS.includes(name))) return undefined;
    return template;
  }

  /** A `Fn::FindInMap` of `values`, sharing an entry with equal values registered before. */
  private lookup(values: readonly (Scalar | undefined)[], place: ValuePlace): CfnValue {
    // Equal values share one entry within a mapping, never across mappings: a reader of
    // `FindInMap [OrderQueue, …]` expects the order queue's own setting.
    const signature = `${place.mapping}\0${JSON.stringify(values)}`;
    const known = this.byValues.get(signature);
    if (known) return findInMap(known.mapping, ref(this.parameter), known.key);
    const keys = this.mappingValues.get(place.mapping) ?? new Map<string, readonly (Scalar | undefined)[]>();
    let key = place.key || 'Value';
    for (let suffix = 2; keys.has(key); suffix++) key = `${place.key}${suffix}`;
    keys.set(key, values);
    this.mappingValues.set(place.mapping, keys);
    this.byValues.set(signature, { mapping: place.mapping, key });
    return findInMap(place.mapping, ref(this.parameter), key);
  }

  /** Values that differ in kind (a reference here, a literal there): one `Fn::If` per distinct value. */
  private choose(values: readonly (CfnValue | undefined)[]): CfnValue {
    const groups: { value: CfnValue; flags: boolean[] }[] = [];
    values.forEach((value, index) => {
      if (value === undefined) return;
      let group = groups.find((candidate) => sameValue(candidate.value, value));
      if (!group) groups.push((group = { value, flags: this.environments.map(() => false) }));
      group.flags[index] = true;
    });
    let result = groups.at(-1)!.value;
    for (const group of groups.slice(0, -1).reverse()) {
      const condition = this.condition(group.flags);
      result = condition.kind === 'some' ? fnIf(condition.name, group.value, result) : group.value;
    }
    return result;
  }
}

/** Pseudo parameters an account string may use (model/graph/values.ts). */
const SUB_PLACEHOLDERS: readonly string[] = ACCOUNT_PLACEHOLDERS;

function isSubOfText(value: unknown): boolean {
  return isIntrinsic(value) && typeof (value as { 'Fn::Sub'?: unknown })['Fn::Sub'] === 'string';
}

/** Items of policy statements and tags are matched by `Sid` / `Key`, not by position. */
function listKey(lists: readonly (readonly CfnValue[])[]): string | undefined {
  for (const candidate of ['Sid', 'Key']) {
    const usable = lists.every((list) => {
      const names = list.map((item) => (isPlainObject(item) ? (item as Record<string, CfnValue>)[candidate] : undefined));
      return names.every((name) => typeof name === 'string') && new Set(names).size === names.length;
    });
    if (usable && lists.some((list) => list.length > 0)) return candidate;
  }
  return undefined;
}

function itemKey(item: CfnValue, key: string): string {
  return String((item as Record<string, CfnValue>)[key]);
}

/** A path part of a mapping key: letters and digits only. */
function keyPart(text: string): string {
  return pascalCase(text) || 'X';
}

function isPlainObject(value: unknown): value is Record<string, CfnValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isIntrinsic(value);
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
