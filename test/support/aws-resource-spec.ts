/**
 * Offline validation of a CloudFormation template against AWS's resource specification as
 * published in `@aws-cdk/aws-service-spec` (the database AWS CDK generates its L1 constructs from):
 * resource types, property names (nested types included), primitive types, enum values, required
 * properties and `Fn::GetAtt` attributes.
 *
 * Two passes, as CloudFormation itself works:
 * - the raw template: every name must be known, whatever branch of an `Fn::If` it sits in;
 * - the template evaluated for each environment (conditions applied, mappings looked up): values
 *   must have the right type and enum value, and required properties must be present.
 *
 * A Lambda `Code` given as a local folder is what `aws cloudformation package` replaces with
 * `{ S3Bucket, S3Key }`; it is validated in that packaged form.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, Resource, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';
import type { CfnTemplate, CfnValue } from '../../templates/render';
import type { EvaluatedTemplate } from './cfn-evaluate';

let database: SpecDatabase | undefined;

/** The spec database (about 0.4 s to load; loaded once per test file). */
export function resourceSpecification(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

/** Properties `aws cloudformation package` rewrites from a local path to an S3 location. */
const PACKAGED_PROPERTIES: Record<string, { property: string; packaged: Record<string, string> }> = {
  'AWS::Lambda::Function': { property: 'Code', packaged: { S3Bucket: 'packaged-bucket', S3Key: 'packaged-key' } },
};

export function resourceType(type: string): Resource | undefined {
  return resourceSpecification().lookup('resource', 'cloudFormationType', 'equals', type)[0];
}

function typeDefinition(reference: { $ref: string }): TypeDefinition {
  return resourceSpecification().get('typeDefinition', reference.$ref);
}

function isIntrinsic(value: unknown): value is Record<string, CfnValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/** Checks names in the raw template: types, property names in every branch, GetAtt attributes, Ref targets. */
export function checkTemplateNames(template: CfnTemplate): string[] {
  const problems: string[] = [];
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));

  const checkReferences = (value: unknown, where: string): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => checkReferences(item, `${where}[${i}]`));
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (isIntrinsic(record)) {
      const [fn, args] = Object.entries(record)[0]!;
      if (fn === 'Ref') {
        const target = String(args);
        if (!parameters.has(target) && !template.Resources[target] && !target.startsWith('AWS::')) problems.push(`${where}: Ref to unknown ${target}`);
      } else if (fn === 'Fn::GetAtt') {
        const [id, attribute] = args as string[];
        const target = template.Resources[id!];
        const spec = target && resourceType(target.Type);
        if (!target) problems.push(`${where}: Fn::GetAtt on unknown resource ${id}`);
        else if (spec && !(attribute! in spec.attributes)) problems.push(`${where}: ${target.Type} has no attribute ${attribute} (has ${Object.keys(spec.attributes).join(', ')})`);
      } else if (fn === 'Fn::If') {
        const condition = String((args as unknown[])[0]);
        if (!conditions.has(condition)) problems.push(`${where}: Fn::If on unknown condition ${condition}`);
      } else if (fn === 'Fn::FindInMap') {
        const [mapping] = args as unknown[];
        if (!template.Mappings?.[String(mapping)]) problems.push(`${where}: Fn::FindInMap on unknown mapping ${String(mapping)}`);
      }
    }
    for (const [key, item] of Object.entries(record)) checkReferences(item, `${where}.${key}`);
  };

  for (const [id, resource] of Object.entries(template.Resources)) {
    const where = `Resources.${id}`;
    const spec = resourceType(resource.Type);
    if (!spec) {
      problems.push(`${where}: unknown resource type ${resource.Type}`);
      continue;
    }
    if (resource.Condition !== undefined && !conditions.has(resource.Condition)) problems.push(`${where}: unknown condition ${resource.Condition}`);
    for (const dependency of resource.DependsOn ?? []) if (!template.Resources[dependency]) problems.push(`${where}: DependsOn unknown ${dependency}`);
    const properties = packaged(resource.Type, resource.Properties as Record<string, unknown>);
    checkObject(problems, spec.properties, properties, `${where}.Properties`, 'names');
    checkReferences(resource.Properties, `${where}.Properties`);
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) checkReferences(output, `Outputs.${id}`);
  return problems;
}

/** Checks one environment's evaluated resources: value types, enum values, required properties. */
export function checkEvaluatedValues(evaluated: EvaluatedTemplate, label: string): string[] {
  const problems: string[] = [];
  for (const [id, resource] of Object.entries(evaluated.resources)) {
    const spec = resourceType(resource.Type);
    if (!spec) {
      problems.push(`${label} ${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    checkObject(problems, spec.properties, packaged(resource.Type, resource.Properties), `${label} ${id}.Properties`, 'values');
  }
  return problems;
}

/** The local `Code` folders of the raw template (what `aws cloudformation package` uploads), by logical id. */
export function packagedArtifacts(template: CfnTemplate): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const rule = PACKAGED_PROPERTIES[resource.Type];
    const value = rule && (resource.Properties as Record<string, unknown>)[rule.property];
    if (typeof value === 'string') result[id] = value;
  }
  return result;
}

function packaged(type: string, properties: Record<string, unknown>): Record<string, unknown> {
  const rule = PACKAGED_PROPERTIES[type];
  if (!rule || typeof properties[rule.property] !== 'string') return properties;
  return { ...properties, [rule.property]: rule.packaged };
}

type Mode = 'names' | 'values';

function checkObject(problems: string[], properties: Record<string, Property>, value: unknown, where: string, mode: Mode): void {
  if (mode === 'names' && isIntrinsic(value)) return checkIntrinsicBranches(problems, value, where, (branch, at) => checkObject(problems, properties, branch, at, mode));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where}: expected an object, got ${JSON.stringify(value)}`);
    return;
  }
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      problems.push(`${where}: unknown property ${name} (known: ${Object.keys(properties).sort().join(', ')})`);
      continue;
    }
    checkValue(problems, property.type, item, `${where}.${name}`, mode);
  }
  if (mode === 'values') {
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && (value as Record<string, unknown>)[name] === undefined) problems.push(`${where}: required property ${name} is missing`);
    }
  }
}

/** In the raw template an `Fn::If` may stand anywhere: check both branches as the property's type. */
function checkIntrinsicBranches(problems: string[], value: Record<string, CfnValue>, where: string, check: (branch: unknown, where: string) => void): void {
  const [fn, args] = Object.entries(value)[0]!;
  if (fn !== 'Fn::If') return; // any other intrinsic yields a value CloudFormation computes
  const [, whenTrue, whenFalse] = args as unknown[];
  for (const [branch, label] of [
    [whenTrue, 'true'],
    [whenFalse, 'false'],
  ] as const) {
    if (isIntrinsic(branch) && (branch as { Ref?: string }).Ref === 'AWS::NoValue') continue;
    check(branch, `${where}<${label}>`);
  }
  void problems;
}

function checkValue(problems: string[], type: PropertyType, value: unknown, where: string, mode: Mode): void {
  if (mode === 'names' && isIntrinsic(value)) {
    return checkIntrinsicBranches(problems, value as Record<string, CfnValue>, where, (branch, at) => checkValue(problems, type, branch, at, mode));
  }
  const bad = (expected: string): void => void problems.push(`${where}: expected ${expected}, got ${JSON.stringify(value)}`);
  const primitive = ['string', 'integer', 'number', 'boolean', 'date-time'].includes(type.type);
  // Names pass: values may still be computed, but a list or map where a scalar belongs is wrong in any environment.
  if (mode === 'names' && primitive) return void (typeof value === 'object' && value !== null && bad(`a ${type.type}`));
  switch (type.type) {
    case 'string':
      if (typeof value !== 'string' && typeof value !== 'number') return bad('a string');
      if (type.allowedValues && !type.allowedValues.includes(String(value))) return bad(`one of ${type.allowedValues.join(', ')}`);
      return;
    case 'integer':
      if (!Number.isInteger(typeof value === 'string' ? Number(value) : value)) return bad('an integer');
      if (type.allowedValues && !type.allowedValues.includes(Number(value))) return bad(`one of ${type.allowedValues.join(', ')}`);
      return;
    case 'number':
      if (!Number.isFinite(typeof value === 'string' ? Number(value) : value)) bad('a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') bad('a boolean');
      return;
    case 'date-time':
      if (typeof value !== 'string') bad('a date-time string');
      return;
    case 'json':
    case 'null':
      return;
    case 'tag':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('a tag { Key, Value }');
      for (const key of Object.keys(value)) if (key !== 'Key' && key !== 'Value') problems.push(`${where}: a tag has only Key and Value, not ${key}`);
      if (mode === 'values' && (typeof (value as { Key?: unknown }).Key !== 'string' || typeof (value as { Value?: unknown }).Value !== 'string')) bad('string Key and Value');
      return;
    case 'array':
      if (!Array.isArray(value)) return bad('a list');
      value.forEach((item, index) => checkValue(problems, type.element, item, `${where}[${index}]`, mode));
      return;
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('a map');
      for (const [key, item] of Object.entries(value)) checkValue(problems, type.element, item, `${where}.${key}`, mode);
      return;
    case 'ref':
      return checkObject(problems, typeDefinition(type.reference as { $ref: string }).properties, value, where, mode);
    case 'union': {
      const attempts = type.types.map((member) => {
        const found: string[] = [];
        checkValue(found, member, value, where, mode);
        return found;
      });
      if (!attempts.some((found) => found.length === 0)) problems.push(...attempts.sort((a, b) => a.length - b.length)[0]!);
      return;
    }
  }
}
