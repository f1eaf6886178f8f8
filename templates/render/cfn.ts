/**
 * CloudFormation template types and intrinsic-function builders, in the long form
 * (`Fn::GetAtt: [Id, Arn]`, `Ref: Id`) so the written YAML parses with any YAML parser and reads the
 * same in JSON.
 */

/** Any template value: a literal, a list, a map, or an intrinsic function (a one-key map). */
export type CfnValue = string | number | boolean | readonly CfnValue[] | { readonly [key: string]: CfnValue };

export interface CfnResource {
  readonly Type: string;
  readonly Condition?: string;
  readonly DependsOn?: readonly string[];
  readonly Properties: { readonly [key: string]: CfnValue };
}

export interface CfnOutput {
  readonly Description: string;
  readonly Condition?: string;
  readonly Value: CfnValue;
  readonly Export?: { readonly Name: CfnValue };
}

export interface CfnParameter {
  readonly Type: 'String';
  readonly Description: string;
  readonly AllowedValues?: readonly string[];
  readonly Default?: string;
}

/** Mapping name → top-level key (an environment) → second-level key → value. */
export type CfnMappings = Record<string, Record<string, Record<string, string | number | boolean>>>;

export interface CfnTemplate {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Parameters: Record<string, CfnParameter>;
  readonly Mappings: CfnMappings;
  readonly Conditions: Record<string, CfnValue>;
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs: Record<string, CfnOutput>;
}

export const NO_VALUE = { Ref: 'AWS::NoValue' } as const;

export const ref = (logicalId: string): CfnValue => ({ Ref: logicalId });
export const getAtt = (logicalId: string, attribute: string): CfnValue => ({ 'Fn::GetAtt': [logicalId, attribute] });
export const sub = (text: string, variables?: Record<string, CfnValue>): CfnValue =>
  variables && Object.keys(variables).length > 0 ? { 'Fn::Sub': [text, variables] } : { 'Fn::Sub': text };
export const findInMap = (mapping: string, topLevelKey: CfnValue, key: string): CfnValue => ({
  'Fn::FindInMap': [mapping, topLevelKey, key],
});
export const fnIf = (condition: string, whenTrue: CfnValue, whenFalse: CfnValue): CfnValue => ({
  'Fn::If': [condition, whenTrue, whenFalse],
});
export const equals = (a: CfnValue, b: CfnValue): CfnValue => ({ 'Fn::Equals': [a, b] });
export const or = (conditions: readonly CfnValue[]): CfnValue => ({ 'Fn::Or': conditions });

/** True for an intrinsic function call or a Ref: a one-key object whose key is `Ref` or `Fn::…`. */
export function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

export function isNoValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { Ref?: unknown }).Ref === 'AWS::NoValue' && Object.keys(value).length === 1;
}

/**
 * Drops properties and list items that are a bare `AWS::NoValue` (left where a per-environment
 * choice turned out the same in every environment), so the template holds no dead branches.
 */
export function withoutNoValues<T extends CfnValue>(value: T): T {
  if (Array.isArray(value)) return value.filter((item) => !isNoValue(item)).map((item) => withoutNoValues(item)) as unknown as T;
  if (typeof value === 'object' && value !== null) {
    if (isNoValue(value)) return value;
    const branches = (value as { 'Fn::If'?: readonly CfnValue[] })['Fn::If'];
    if (branches && Object.keys(value).length === 1) {
      // A branch that is AWS::NoValue is the point of the Fn::If: keep it.
      return { 'Fn::If': branches.map((branch) => (isNoValue(branch) ? branch : withoutNoValues(branch))) } as unknown as T;
    }
    const entries = Object.entries(value as Record<string, CfnValue>).filter(([, item]) => !isNoValue(item));
    return Object.fromEntries(entries.map(([key, item]) => [key, withoutNoValues(item)])) as T;
  }
  return value;
}

