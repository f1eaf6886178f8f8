/**
 * Renders one created node of the graph as cdktf resources, translating its properties through the
 * name table (name-table.ts). The renderer decides nothing: what exists and with which values is
 * the model's; this maps names and syntax. Two node types become more than one resource, because
 * Terraform splits them: a role's inline policies and managed-policy attachments, and a function's
 * code (a zip asset of its bundle).
 */
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable, TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import { isNodeRef, type CreatedNode, type GraphValue } from '../../model';
import { NAME_TABLE, type Codec, type PropertyRule } from './name-table';
import type { NodeAttributes, References } from './references';
import { AwsAccount } from './aws-account';
import { functionCode } from './function-code';
import { substitutedJson } from './terraform-sub';

/** The resources one node became; the first is its main resource. */
export interface RenderedNode {
  readonly resource: TerraformResource;
  readonly resources: readonly ITerraformDependable[];
  readonly attributes: NodeAttributes;
}

/**
 * Creates the resources of `node` in `scope` under construct id `id`, registers what references
 * read of it in `references`, and returns them.
 */
export function renderNode(scope: Construct, id: string, node: CreatedNode, references: References): RenderedNode {
  const table = NAME_TABLE[node.type];
  const config: Record<string, unknown> = {};
  for (const [property, value] of Object.entries(node.properties as Record<string, GraphValue>)) {
    const rule = (table.properties as Record<string, PropertyRule<unknown>>)[property];
    if (rule === undefined) throw new Error(`${node.type} "${node.id}": property ${property} has no entry in the cdktf name table`);
    if (rule === 'handled') continue;
    const [argument, codec] = typeof rule === 'string' ? [rule, 'value' as const] : (rule as readonly [string, Codec]);
    const where = `${node.id}.${property}`;
    config[argument as string] = codec === 'jsonSub' ? substitutedJson(value, () => AwsAccount.of(scope), where) : encode(codec, references.resolve(value), where);
  }
  if (table.tagged && node.tags) config.tags = { ...node.tags };
  const dependsOn = (node.dependsOn ?? []).flatMap((other) => references.resourcesOf(other));
  if (dependsOn.length > 0) config.dependsOn = dependsOn;
  if (node.type === 'lambda:function') Object.assign(config, functionCode(scope, id, node.code.entry));

  const Resource = table.resource as new (scope: Construct, id: string, config: unknown) => TerraformResource;
  const resource = new Resource(scope, id, config);
  markNode(resource, node.id);
  const resources: ITerraformDependable[] = [resource];
  if (node.type === 'iam:role') {
    const roleName = (resource as unknown as { name: string }).name;
    for (const policy of node.properties.Policies) {
      const inline = new IamRolePolicy(scope, `${id}-${policy.PolicyName}`, { name: policy.PolicyName, role: roleName, policy: JSON.stringify(references.resolve(policy.PolicyDocument)) });
      markNode(inline, node.id);
      resources.push(inline);
    }
    for (const policyArn of node.properties.ManagedPolicyArns) {
      const attachment = attachPolicy(scope, `${id}-${attachmentId(policyArn)}`, roleName, String(references.resolve(policyArn)));
      markNode(attachment, node.id);
      resources.push(attachment);
    }
  }
  const attributes = Object.fromEntries(
    Object.entries(table.attributes).map(([attribute, name]) => [attribute, () => (resource as unknown as Record<string, string>)[name as string]!]),
  ) as NodeAttributes;
  references.register(node.id, attributes, resources);
  return { resource, resources, attributes };
}

/**
 * Records the graph node a resource was rendered from in its `//` block, which Terraform ignores:
 * readers of cdk.tf.json (and the equivalence test) see which node each resource is.
 */
function markNode(resource: TerraformResource, nodeId: string): void {
  resource.addOverride('//.graph_node', nodeId);
}

/** Attaches a managed policy to a role (by name): the one way every grant is rendered. */
export function attachPolicy(scope: Construct, id: string, roleName: string, policyArn: string): IamRolePolicyAttachment {
  return new IamRolePolicyAttachment(scope, id, { role: roleName, policyArn });
}

/**
 * A stable construct id for attaching `policyArn`: the policy node's id for a reference, a short
 * hash of the ARN otherwise. Never a counter: reordering grants must not replace resources.
 */
export function attachmentId(policyArn: GraphValue): string {
  if (isNodeRef(policyArn)) return `attach-${policyArn.$ref}`;
  return `attach-${stableHash(JSON.stringify(policyArn))}`;
}

/** A short, stable hash of `text` for construct ids. */
export function stableHash(text: string): string {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

function encode(codec: Codec, value: unknown, where: string): unknown {
  if (typeof codec === 'object') return codec.encode(value);
  switch (codec) {
    case 'value':
      return value;
    case 'json':
      return JSON.stringify(value);
    case 'camel':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key[0]!.toLowerCase() + key.slice(1), item]));
    case 'single': {
      const list = value as unknown[];
      if (list.length !== 1) throw new Error(`${where}: expected one item, got ${list.length}`);
      return list[0];
    }
    case 'handled':
    case 'jsonSub':
      throw new Error(`${where}: rendered by the node renderer, not encoded`);
  }
}
