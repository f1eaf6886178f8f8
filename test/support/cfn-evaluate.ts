/**
 * A small evaluator of the CloudFormation intrinsic functions the renderer uses: it resolves a
 * template for one set of parameter values (e.g. `Environment=production`) the way CloudFormation
 * does before it creates resources: Conditions decide which resources exist, `Fn::If` picks a
 * branch, `AWS::NoValue` removes a property, `Fn::FindInMap`, `Fn::Sub`, `Fn::Join` and `Fn::Select`
 * compute values. What CloudFormation only knows at deploy time (pseudo parameters, resource
 * references) is delegated to the caller, who decides what stands for it (a token, a placeholder
 * or the intrinsic itself).
 *
 * Anything else (an unknown intrinsic, a reference to a missing or conditioned-out resource, a
 * mapping key that does not exist for the environment) throws: the template could not deploy.
 */
import type { CfnResource, CfnTemplate, CfnValue } from '../../templates/render/cfn';

export interface EvaluationContext {
  /** Parameter values (others fall back to the parameter's Default). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Value of a pseudo parameter such as `AWS::AccountId` (`AWS::NoValue` is handled here). */
  readonly pseudoParameter: (name: string) => CfnValue;
  /** Value of `Ref: id` (attribute undefined) or `Fn::GetAtt: [id, attribute]` used as a whole value. */
  readonly resourceReference: (logicalId: string, resource: CfnResource, attribute: string | undefined) => CfnValue;
  /**
   * The same reference inside `Fn::Sub` / `Fn::Join` text.
   * @default resourceReference, which must then return a string
   */
  readonly resourceReferenceInText?: (logicalId: string, resource: CfnResource, attribute: string | undefined) => string;
}

export interface EvaluatedResource {
  readonly Type: string;
  readonly DependsOn?: readonly string[];
  readonly Properties: Record<string, unknown>;
}

export interface EvaluatedOutput {
  readonly Description?: string;
  readonly Value: unknown;
  readonly ExportName?: unknown;
}

export interface EvaluatedTemplate {
  readonly parameters: Readonly<Record<string, string>>;
  readonly conditions: Readonly<Record<string, boolean>>;
  /** Only the resources that exist for these parameters, with every intrinsic resolved. */
  readonly resources: Readonly<Record<string, EvaluatedResource>>;
  readonly outputs: Readonly<Record<string, EvaluatedOutput>>;
}

/** Marks a value removed by `AWS::NoValue`. */
const REMOVED = Symbol('AWS::NoValue');
type Evaluated = unknown;

export function evaluateTemplate(template: CfnTemplate, context: EvaluationContext): EvaluatedTemplate {
  return new Evaluator(template, context).run();
}

class Evaluator {
  private readonly parameters: Record<string, string> = {};
  private readonly conditionValues = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly context: EvaluationContext,
  ) {
    for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
      const value = context.parameters[name] ?? parameter.Default;
      if (value === undefined) throw new Error(`parameter ${name} has no value and no Default`);
      if (parameter.AllowedValues && !parameter.AllowedValues.includes(value)) {
        throw new Error(`parameter ${name}: "${value}" is not one of ${parameter.AllowedValues.join(', ')}`);
      }
      this.parameters[name] = value;
    }
    for (const name of Object.keys(context.parameters)) {
      if (!(name in this.parameters)) throw new Error(`the template has no parameter ${name}`);
    }
  }

  run(): EvaluatedTemplate {
    const conditions = Object.fromEntries(Object.keys(this.template.Conditions ?? {}).map((name) => [name, this.condition(name)]));
    const resources: Record<string, EvaluatedResource> = {};
    for (const [id, resource] of Object.entries(this.template.Resources)) {
      if (!this.exists(id)) continue;
      for (const dependency of resource.DependsOn ?? []) {
        if (!this.exists(dependency)) throw new Error(`${id} depends on ${dependency}, which does not exist here`);
      }
      const properties = this.value(resource.Properties ?? {}, `Resources.${id}.Properties`);
      resources[id] = {
        Type: resource.Type,
        ...(resource.DependsOn ? { DependsOn: resource.DependsOn } : {}),
        Properties: (properties === REMOVED ? {} : properties) as Record<string, unknown>,
      };
    }
    const outputs: Record<string, EvaluatedOutput> = {};
    for (const [id, output] of Object.entries(this.template.Outputs ?? {})) {
      if (output.Condition !== undefined && !this.condition(output.Condition)) continue;
      outputs[id] = {
        Description: output.Description,
        Value: this.value(output.Value, `Outputs.${id}.Value`),
        ...(output.Export ? { ExportName: this.value(output.Export.Name, `Outputs.${id}.Export.Name`) } : {}),
      };
    }
    return { parameters: { ...this.parameters }, conditions, resources, outputs };
  }

  private exists(id: string): boolean {
    const resource = this.template.Resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    return resource.Condition === undefined || this.condition(resource.Condition);
  }

  private condition(name: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`no condition ${name}`);
    if (this.evaluating.has(name)) throw new Error(`condition ${name} refers to itself`);
    this.evaluating.add(name);
    const result = this.conditionValue(definition, `Conditions.${name}`);
    this.evaluating.delete(name);
    this.conditionValues.set(name, result);
    return result;
  }

  private conditionValue(value: CfnValue, where: string): boolean {
    const [fn, args] = intrinsic(value) ?? ['', ''];
    switch (fn) {
      case 'Fn::Equals': {
        const [a, b] = list(args, 2, where);
        return JSON.stringify(this.scalarText(this.value(a!, where), where)) === JSON.stringify(this.scalarText(this.value(b!, where), where));
      }
      case 'Fn::And':
        return list(args, undefined, where).every((item) => this.conditionValue(item, where));
      case 'Fn::Or':
        return list(args, undefined, where).some((item) => this.conditionValue(item, where));
      case 'Fn::Not':
        return !this.conditionValue(list(args, 1, where)[0]!, where);
      case 'Condition':
        return this.condition(String(args));
      default:
        throw new Error(`${where}: a condition must be Fn::Equals/And/Or/Not or Condition, got ${JSON.stringify(value)}`);
    }
  }

  /** CloudFormation compares scalars as text. */
  private scalarText(value: Evaluated, where: string): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error(`${where}: Fn::Equals compares strings, got ${JSON.stringify(value)}`);
  }

  private value(value: CfnValue, where: string): Evaluated {
    if (Array.isArray(value)) {
      return value.map((item, index) => this.value(item, `${where}[${index}]`)).filter((item) => item !== REMOVED);
    }
    if (typeof value !== 'object' || value === null) return value;
    const call = intrinsic(value);
    if (call) return this.call(call[0], call[1], where);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const evaluated = this.value(item, `${where}.${key}`);
      if (evaluated !== REMOVED) result[key] = evaluated;
    }
    return result;
  }

  private call(fn: string, args: CfnValue, where: string): Evaluated {
    switch (fn) {
      case 'Ref':
        return this.ref(String(args), undefined, where, false);
      case 'Fn::GetAtt': {
        const [id, attribute] = typeof args === 'string' ? splitOnce(args, '.') : list(args, 2, where).map(String);
        return this.ref(id!, attribute!, where, false);
      }
      case 'Fn::FindInMap': {
        const [mapping, top, second] = list(args, 3, where).map((item) => String(this.value(item, where)));
        const found = this.template.Mappings?.[mapping!]?.[top!]?.[second!];
        if (found === undefined) throw new Error(`${where}: Fn::FindInMap [${mapping}, ${top}, ${second}] finds nothing`);
        return found;
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = list(args, 3, where);
        return this.value(this.condition(String(condition)) ? whenTrue! : whenFalse!, where);
      }
      case 'Fn::Sub':
        return this.sub(args, where);
      case 'Fn::Join': {
        const [delimiter, items] = list(args, 2, where);
        const values = this.value(items!, where);
        if (!Array.isArray(values)) throw new Error(`${where}: Fn::Join needs a list`);
        return values.map((item) => this.text(item, where)).join(String(delimiter));
      }
      case 'Fn::Select': {
        const [index, items] = list(args, 2, where);
        const values = this.value(items!, where);
        const position = Number(this.value(index!, where));
        if (!Array.isArray(values) || !(position >= 0 && position < values.length)) throw new Error(`${where}: Fn::Select index ${position} is out of range`);
        return values[position];
      }
      default:
        throw new Error(`${where}: ${fn} is not supported by this evaluator`);
    }
  }

  private sub(args: CfnValue, where: string): string {
    const [text, variables] = typeof args === 'string' ? [args, {}] : (list(args, 2, where) as [CfnValue, Record<string, CfnValue>]);
    if (typeof text !== 'string') throw new Error(`${where}: Fn::Sub needs a string`);
    const values = Object.fromEntries(Object.entries(variables ?? {}).map(([name, item]) => [name, this.value(item, where)]));
    return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in values) return this.text(values[name], where);
      if (name in this.parameters || name.startsWith('AWS::')) return this.text(this.ref(name, undefined, where, true), where);
      const [id, attribute] = splitOnce(name, '.');
      if (this.template.Resources[id!]) return this.text(this.ref(id!, attribute, where, true), where);
      throw new Error(`${where}: Fn::Sub variable ${whole} is not defined`);
    });
  }

  private ref(name: string, attribute: string | undefined, where: string, inText: boolean): Evaluated {
    if (attribute === undefined && name in this.parameters) return this.parameters[name];
    if (attribute === undefined && name === 'AWS::NoValue') {
      if (inText) throw new Error(`${where}: AWS::NoValue inside text`);
      return REMOVED;
    }
    if (attribute === undefined && name.startsWith('AWS::')) return this.context.pseudoParameter(name);
    const resource = this.template.Resources[name];
    if (!resource) throw new Error(`${where}: reference to ${name}, which is neither a parameter nor a resource`);
    if (!this.exists(name)) throw new Error(`${where}: reference to ${name}, which does not exist for these parameters`);
    if (inText && this.context.resourceReferenceInText) return this.context.resourceReferenceInText(name, resource, attribute);
    return this.context.resourceReference(name, resource, attribute);
  }

  private text(value: Evaluated, where: string): string {
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    throw new Error(`${where}: expected text, got ${JSON.stringify(value)}`);
  }
}

/** `[name, arguments]` when `value` is an intrinsic function call (a one-key map `Ref` / `Fn::*` / `Condition`). */
function intrinsic(value: CfnValue): [string, CfnValue] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  if (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')) return [key, (value as Record<string, CfnValue>)[key]!];
  return undefined;
}

function list(args: CfnValue | undefined, length: number | undefined, where: string): CfnValue[] {
  if (!Array.isArray(args) || (length !== undefined && args.length !== length)) {
    throw new Error(`${where}: expected a list${length !== undefined ? ` of ${length}` : ''}, got ${JSON.stringify(args)}`);
  }
  return args as CfnValue[];
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
