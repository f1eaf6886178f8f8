/**
 * Reads a rendering back into the model's vocabulary, so it can be compared with the graph it was
 * rendered from: node id → properties (graph names, references as `{ $ref, $attribute }`, account
 * strings as `{ $sub }`), tags and dependencies, plus outputs.
 *
 * - Terraform: each resource names its graph node in its `//` block; its arguments are mapped back
 *   through the cdktf name table, tokens back to references. An argument the table does not
 *   explain, or a resource of no node, is reported.
 * - CloudFormation: the template is evaluated for one environment (conditions, mappings, Fn::Sub
 *   applied; Ref / GetAtt turned back into references) and read as it is.
 * - Local: the attributes, policy and tags the embedded server holds for each queue.
 */
import { GetQueueAttributesCommand, ListQueuesCommand, ListQueueTagsCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { NAME_TABLE, type Codec, type PropertyRule } from '../../constructs/render/name-table';
import { readSubstitutedJson } from '../../constructs/render/terraform-sub';
import { localQueueUrl } from '../../local/provision';
import { isCreated, resolveValue, type EnvironmentGraph, type GraphValue, type NodeType, type RefAttribute } from '../../model';
import type { CfnTemplate } from '../../templates/render';
import { CFN_RESOURCE_TYPES } from '../../templates/render/resource-types';
import { evaluateTemplate } from './cfn-evaluate';
import type { TerraformJson } from './synth';

export interface ReadNode {
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly tags?: Record<string, string>;
  readonly dependsOn?: readonly string[];
}

export interface ReadOutput {
  readonly value: unknown;
  readonly description?: string;
  readonly exportName?: unknown;
}

/** A rendering (or the model itself) in the model's vocabulary. */
export interface ReadRendering {
  readonly nodes: Record<string, ReadNode>;
  readonly outputs: Record<string, ReadOutput>;
}

/**
 * What the graph says, in the same shape: created nodes only (the code entry is not a property),
 * and a reference to a node that exists already read as the value it stands for (an ARN).
 */
export function fromModel(graph: EnvironmentGraph, options: { outputs?: 'terraform' | 'cloudformation' } = {}): ReadRendering {
  const existing = new Map(graph.nodes.flatMap((node) => (isCreated(node) ? [] : [[node.id, node.existing] as const])));
  const plain = (value: unknown) =>
    resolveValue<unknown>(value as GraphValue, {
      ref: (reference) => existing.get(reference.$ref)?.[reference.$attribute] ?? reference,
      accountString: (text) => text,
    }) as Record<string, unknown>;
  const nodes: Record<string, ReadNode> = {};
  for (const node of graph.nodes) {
    if (!isCreated(node)) continue;
    nodes[node.id] = {
      type: node.type,
      properties: plain(node.properties),
      ...(node.tags ? { tags: { ...node.tags } } : {}),
      ...(node.dependsOn ? { dependsOn: [...node.dependsOn].sort() } : {}),
    };
  }
  const outputs: Record<string, ReadOutput> = {};
  for (const output of graph.outputs) {
    const key = options.outputs === 'cloudformation' ? output.id : output.name;
    outputs[key] = {
      value: plain(output.value),
      description: output.description,
      ...(options.outputs === 'cloudformation' ? { exportName: output.exportName } : {}),
    };
  }
  return { nodes, outputs };
}

// ────────────────────────────────────────────── Terraform ──────────────────────────────────────────────

const TERRAFORM_META = new Set(['//', 'tags', 'depends_on', 'provider', 'lifecycle']);
/** Arguments the function's code asset sets (compared through the bundle tests, not the graph). */
const TERRAFORM_CODE = new Set(['filename', 'source_code_hash']);
const ACCOUNT_DATA: Record<string, string> = {
  'aws_partition.partition': '${AWS::Partition}',
  'aws_region.region': '${AWS::Region}',
  'aws_caller_identity.account_id': '${AWS::AccountId}',
};

export function fromTerraform(json: TerraformJson): ReadRendering {
  const byAddress = new Map<string, { type: string; nodeId: string }>();
  for (const [type, resources] of Object.entries(json.resource)) {
    for (const [id, resource] of Object.entries(resources)) {
      const nodeId = (resource['//'] as { graph_node?: string } | undefined)?.graph_node;
      if (!nodeId) throw new Error(`${type}.${id} names no graph node: a resource the model does not describe`);
      byAddress.set(`${type}.${id}`, { type, nodeId });
    }
  }
  const nodeTypes = new Map<string, NodeType>();
  for (const [address, { type, nodeId }] of byAddress) {
    const nodeType = (Object.keys(NAME_TABLE) as NodeType[]).find((candidate) => NAME_TABLE[candidate].terraformType === type);
    if (nodeType) nodeTypes.set(nodeId, nodeType);
    else if (!['aws_iam_role_policy', 'aws_iam_role_policy_attachment'].includes(type)) throw new Error(`${address}: no node type renders as ${type}`);
  }
  const toModel = (value: unknown): unknown => terraformValue(value, byAddress, nodeTypes);

  const nodes: Record<string, ReadNode & { properties: Record<string, unknown> }> = {};
  for (const [type, resources] of Object.entries(json.resource)) {
    for (const [id, resource] of Object.entries(resources)) {
      const { nodeId } = byAddress.get(`${type}.${id}`)!;
      const nodeType = nodeTypes.get(nodeId)!;
      if (type === 'aws_iam_role_policy' || type === 'aws_iam_role_policy_attachment') continue;
      const properties: Record<string, unknown> = {};
      for (const [argument, value] of Object.entries(resource)) {
        if (TERRAFORM_META.has(argument) || (nodeType === 'lambda:function' && TERRAFORM_CODE.has(argument))) continue;
        const [property, codec] = propertyOf(nodeType, argument, `${type}.${id}`);
        properties[property] = decode(codec, value, toModel);
      }
      const dependsOn = (resource.depends_on as string[] | undefined)?.map((address) => byAddress.get(address)?.nodeId ?? address);
      nodes[nodeId] = {
        type: nodeType,
        properties,
        ...(resource.tags ? { tags: resource.tags as Record<string, string> } : {}),
        ...(dependsOn ? { dependsOn: [...new Set(dependsOn)].sort() } : {}),
      };
    }
  }
  // A role's inline policies and attachments are resources of their own in Terraform.
  for (const [type, resources] of Object.entries(json.resource)) {
    if (type !== 'aws_iam_role_policy' && type !== 'aws_iam_role_policy_attachment') continue;
    for (const [id, resource] of Object.entries(resources)) {
      const role = nodes[byAddress.get(`${type}.${id}`)!.nodeId];
      if (!role) throw new Error(`${type}.${id} belongs to no rendered role`);
      if (type === 'aws_iam_role_policy') {
        ((role.properties.Policies ??= []) as unknown[]).push({ PolicyName: resource.name, PolicyDocument: toModel(JSON.parse(String(resource.policy))) });
      } else {
        ((role.properties.ManagedPolicyArns ??= []) as unknown[]).push(toModel(resource.policy_arn));
      }
    }
  }
  for (const node of Object.values(nodes)) {
    if (node.type !== 'iam:role') continue;
    node.properties.Policies ??= [];
    node.properties.ManagedPolicyArns ??= [];
  }
  const outputs: Record<string, ReadOutput> = {};
  for (const [name, output] of Object.entries(json.output)) outputs[name] = { value: toModel(output.value), ...(output.description ? { description: output.description } : {}) };
  return { nodes, outputs };
}

/** The graph property (and how it was encoded) a Terraform argument of `nodeType` comes from. */
function propertyOf(nodeType: NodeType, argument: string, where: string): [string, Codec] {
  const rules = NAME_TABLE[nodeType].properties as Record<string, PropertyRule<unknown>>;
  for (const [property, rule] of Object.entries(rules)) {
    if (rule === 'handled') continue;
    const [camel, codec] = typeof rule === 'string' ? [rule, 'value' as const] : (rule as readonly [string, Codec]);
    if (snake(camel) === argument) return [property, codec];
  }
  throw new Error(`${where}: argument ${argument} is not explained by the name table of ${nodeType}`);
}

function decode(codec: Codec, value: unknown, toModel: (value: unknown) => unknown): unknown {
  if (typeof codec === 'object') return toModel(codec.decode(value));
  switch (codec) {
    case 'value':
      return toModel(value);
    case 'json':
      return toModel(JSON.parse(String(value)));
    case 'jsonSub':
      return readSubstitutedJson(String(value));
    case 'camel':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [pascal(key), toModel(item)]));
    case 'single':
      return [toModel(value)];
    case 'handled':
      throw new Error('a handled property has no argument');
  }
}

/** Terraform tokens back to graph values: `${aws_sqs_queue.x.arn}` → a reference; data sources → an account string. */
function terraformValue(value: unknown, byAddress: ReadonlyMap<string, { nodeId: string }>, nodeTypes: ReadonlyMap<string, NodeType>): unknown {
  if (Array.isArray(value)) return value.map((item) => terraformValue(item, byAddress, nodeTypes));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, terraformValue(item, byAddress, nodeTypes)]));
  }
  if (typeof value !== 'string') return value;
  const whole = /^\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.([a-z0-9_]+)\}$/.exec(value);
  if (whole) {
    const target = byAddress.get(`${whole[1]}.${whole[2]}`);
    if (!target) throw new Error(`${value} refers to a resource that is not in the stack`);
    const attributes = NAME_TABLE[nodeTypes.get(target.nodeId)!].attributes;
    const attribute = (Object.keys(attributes) as RefAttribute[]).find((candidate) => snake(attributes[candidate]!) === whole[3]);
    if (!attribute) throw new Error(`${value}: no reference attribute reads ${whole[3]}`);
    return { $ref: target.nodeId, $attribute: attribute };
  }
  if (!value.includes('${data.')) return value;
  const text = value.replace(/\$\{data\.(aws_[a-z_]+)\.[^.}]+\.([a-z_]+)\}/g, (token, type: string, attribute: string) => {
    const placeholder = ACCOUNT_DATA[`${type}.${attribute}`];
    if (!placeholder) throw new Error(`${token} is not an account value`);
    return placeholder;
  });
  return { $sub: text };
}

// ─────────────────────────────────────────── CloudFormation ───────────────────────────────────────────

export function fromCloudFormation(template: CfnTemplate, environment: string): ReadRendering {
  const typeOf = new Map(
    Object.entries(template.Resources).map(([id, resource]) => {
      const nodeType = (Object.keys(CFN_RESOURCE_TYPES) as NodeType[]).find((candidate) => CFN_RESOURCE_TYPES[candidate].type === resource.Type);
      if (!nodeType) throw new Error(`${id}: no node type renders as ${resource.Type}`);
      return [id, nodeType] as const;
    }),
  );
  const evaluated = evaluateTemplate(template, {
    parameters: { Environment: environment },
    pseudoParameter: (name) => `\${${name}}`,
    resourceReference: (id, _resource, attribute) => {
      const attributes = CFN_RESOURCE_TYPES[typeOf.get(id)!].attributes;
      const written = JSON.stringify(attribute === undefined ? { Ref: id } : { 'Fn::GetAtt': [id, attribute] });
      const found = (Object.keys(attributes) as RefAttribute[]).find((candidate) => JSON.stringify(attributes[candidate]!(id)) === written);
      if (!found) throw new Error(`${written}: no reference attribute is written this way`);
      return { $ref: id, $attribute: found } as never;
    },
  });
  const nodes: Record<string, ReadNode> = {};
  for (const [id, resource] of Object.entries(evaluated.resources)) {
    const { Tags, Code, ...properties } = resource.Properties as Record<string, unknown> & { Tags?: { Key: string; Value: string }[] | Record<string, string> };
    void Code;
    // JSON text (a dashboard body) read back as the object it was written from.
    for (const name of CFN_RESOURCE_TYPES[typeOf.get(id)!].jsonText ?? []) properties[name] = JSON.parse(properties[name] as string);
    nodes[id] = {
      type: typeOf.get(id)!,
      properties: accountStrings(properties) as Record<string, unknown>,
      ...(Tags ? { tags: Array.isArray(Tags) ? Object.fromEntries(Tags.map((tag) => [tag.Key, tag.Value])) : Tags } : {}),
      ...(resource.DependsOn ? { dependsOn: [...resource.DependsOn].sort() } : {}),
    };
  }
  const outputs: Record<string, ReadOutput> = {};
  for (const [id, output] of Object.entries(evaluated.outputs)) {
    outputs[id] = { value: accountStrings(output.Value), ...(output.Description ? { description: output.Description } : {}), exportName: output.ExportName };
  }
  return { nodes, outputs };
}

/** Evaluated `Fn::Sub` text still holding pseudo parameters is an account string of the graph. */
function accountStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(accountStrings);
  if (typeof value === 'object' && value !== null) {
    if ('$ref' in value) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, accountStrings(item)]));
  }
  return typeof value === 'string' && value.includes('${AWS::') ? { $sub: value } : value;
}

// ──────────────────────────────────────────────── Local ────────────────────────────────────────────────

/** What the server reports beyond the queue's settings: counts, timestamps, its ARN (the policy is read as its own node). */
const REPORTED_ONLY = new Set([
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'Policy',
]);

/**
 * What SQS reports for an attribute a queue was created without: the graph leaves a DLQ's
 * visibility, delay and long polling to these, and SQS-managed SSE is on unless a KMS key is set.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
export function withSqsDefaults(properties: Record<string, unknown>): Record<string, unknown> {
  return {
    VisibilityTimeout: 30,
    DelaySeconds: 0,
    ReceiveMessageWaitTimeSeconds: 0,
    ...(properties.KmsMasterKeyId === undefined ? { SqsManagedSseEnabled: true } : {}),
    ...properties,
  };
}

/**
 * The queues on the embedded server, read back: attributes (typed back from SQS's strings), each
 * queue's policy as the queue-policy node naming it, and tags. `nodeIdOf` maps a queue name to
 * the node id the graph gave it, so the two compare node by node.
 */
export async function fromLocalServer(client: SQSClient, namePrefix: string, endpoint: string, nodeIdOf: (queueName: string) => string): Promise<ReadRendering> {
  const listed = await client.send(new ListQueuesCommand({ QueueNamePrefix: `${namePrefix}-` }));
  const nodes: Record<string, ReadNode> = {};
  const policyOwner = (queueId: string) => `${queueId.replace(/(Queue|Dlq)$/, '')}${queueId.endsWith('Dlq') ? 'DlqPolicy' : 'QueuePolicy'}`;
  for (const listedUrl of listed.QueueUrls ?? []) {
    const name = listedUrl.slice(listedUrl.lastIndexOf('/') + 1);
    // The URL local mode hands out (on the endpoint's own origin; see local/provision.ts).
    const url = localQueueUrl(endpoint, name);
    const id = nodeIdOf(name);
    const attributes = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
    const properties: Record<string, unknown> = { QueueName: name };
    for (const [attribute, text] of Object.entries(attributes)) {
      if (REPORTED_ONLY.has(attribute)) continue;
      // Known gap of the embedded server: it reports SqsManagedSseEnabled=true even beside a KMS key.
      if (attribute === 'SqsManagedSseEnabled' && attributes.KmsMasterKeyId !== undefined) continue;
      properties[attribute] = typed(text);
    }
    const tags = (await client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
    nodes[id] = { type: 'sqs:queue', properties, tags };
    if (attributes.Policy) nodes[policyOwner(id)] = { type: 'sqs:queue-policy', properties: { Queues: [url], PolicyDocument: JSON.parse(attributes.Policy) } };
  }
  return { nodes, outputs: {} };
}

/** An SQS attribute string as the graph types it: numbers, booleans, JSON policies. */
function typed(text: string): unknown {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text.startsWith('{')) return JSON.parse(text);
  return text;
}

// ─────────────────────────────────────────────── compare ───────────────────────────────────────────────

/** Every difference between what the model says and a rendering, as `<path>: model … ≠ rendering …`. */
export function differences(model: ReadRendering, rendering: ReadRendering, label: string): string[] {
  const found: string[] = [];
  const compare = (path: string, expected: unknown, actual: unknown) => {
    if (JSON.stringify(expected) === JSON.stringify(actual)) return;
    if (isRecord(expected) && isRecord(actual) && !('$ref' in expected) && !('$sub' in expected)) {
      for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) compare(`${path}.${key}`, expected[key], actual[key]);
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
      expected.forEach((item, index) => compare(`${path}[${index}]`, item, actual[index]));
      return;
    }
    found.push(`${path}: model ${JSON.stringify(expected)} ≠ ${label} ${JSON.stringify(actual)}`);
  };
  compare('nodes', model.nodes, rendering.nodes);
  compare('outputs', model.outputs, rendering.outputs);
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function pascal(snakeCase: string): string {
  return snakeCase.split('_').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
}
