/**
 * Values in the resource graph. Besides JSON literals a property may hold two things that only a
 * renderer can turn into something concrete:
 *
 * - a {@link NodeRef}: an attribute of another node (`OrderQueue`'s ARN). Terraform makes it a token
 *   (`${aws_sqs_queue.x.arn}`), CloudFormation an intrinsic (`Fn::GetAtt`), local mode the value
 *   the embedded server returned;
 * - an {@link AccountString}: text with `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}`
 *   placeholders, filled at deploy time (CloudFormation `Fn::Sub`, Terraform data sources, local
 *   values). Used where an ARN is built from a name, e.g. to avoid a reference cycle.
 */

/** What a reference can read of a node. Each renderer maps these per node type. */
export type RefAttribute = 'arn' | 'url' | 'name' | 'id' | 'functionUrl';

export interface NodeRef {
  /** Id of the node referred to. */
  readonly $ref: string;
  readonly $attribute: RefAttribute;
}

export interface AccountString {
  readonly $sub: string;
}

export type GraphValue =
  | string
  | number
  | boolean
  | NodeRef
  | AccountString
  | readonly GraphValue[]
  | { readonly [key: string]: GraphValue };

export function ref(nodeId: string, attribute: RefAttribute): NodeRef {
  return { $ref: nodeId, $attribute: attribute };
}

export function accountString(template: string): AccountString {
  return { $sub: template };
}

export function isNodeRef(value: unknown): value is NodeRef {
  return typeof value === 'object' && value !== null && typeof (value as NodeRef).$ref === 'string';
}

export function isAccountString(value: unknown): value is AccountString {
  return typeof value === 'object' && value !== null && typeof (value as AccountString).$sub === 'string';
}

/** How a renderer turns the two special values into its own. */
export interface ValueResolver<R> {
  readonly ref: (ref: NodeRef) => R;
  readonly accountString: (value: AccountString) => R;
}

/** Replaces every reference and account string in `value`, keeping the rest as it is. */
export function resolveValue<R>(value: GraphValue, resolver: ValueResolver<R>): unknown {
  if (isNodeRef(value)) return resolver.ref(value);
  if (isAccountString(value)) return resolver.accountString(value);
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, resolver));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveValue(item as GraphValue, resolver)]));
  }
  return value;
}

/** The ids of the nodes `value` refers to, in order of first appearance. */
export function referencedNodes(value: GraphValue): string[] {
  const found = new Set<string>();
  const visit = (item: GraphValue) => {
    if (isNodeRef(item)) found.add(item.$ref);
    else if (Array.isArray(item)) item.forEach(visit);
    else if (typeof item === 'object' && item !== null && !isAccountString(item)) Object.values(item).forEach((v) => visit(v as GraphValue));
  };
  visit(value);
  return [...found];
}

/** Placeholders an account string may use. */
export const ACCOUNT_PLACEHOLDERS = ['AWS::Partition', 'AWS::Region', 'AWS::AccountId'] as const;

/** The values that fill an account string's placeholders: literals, or a renderer's references. */
export interface AccountValues {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** Replaces the placeholders of an account string; throws on any other `${…}`. */
export function fillAccountString(value: AccountString, values: AccountValues): string {
  const byName: Readonly<Record<string, string>> = {
    'AWS::Partition': values.partition,
    'AWS::Region': values.region,
    'AWS::AccountId': values.accountId,
  };
  return value.$sub.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    const filled = byName[name];
    if (filled === undefined) throw new Error(`unknown placeholder ${whole} in ${value.$sub}`);
    return filled;
  });
}
