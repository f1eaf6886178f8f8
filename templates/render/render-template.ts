/**
 * The CloudFormation renderer: the graphs of several environments → ONE template with an
 * `Environment` parameter whose allowed values are those environments. Each node becomes a resource
 * with the node's id as logical id and its properties as they are (the graph already uses
 * CloudFormation's names); references become `Ref` / `Fn::GetAtt`, account strings `Fn::Sub`; where
 * environments differ, `merge-environments.ts` writes Mappings and Conditions. Nothing is
 * re-derived: what exists and with which values is the model's.
 */
import path from 'node:path';
import { ENVIRONMENT_PARAMETER, isAccountString, isCreated, isNodeRef, resolveValue, type EnvironmentGraph, type GraphNode, type GraphValue } from '../../model';
import { withoutNoValues, type CfnOutput, type CfnResource, type CfnTemplate, type CfnValue } from './cfn';
import { EnvironmentMerge } from './merge-environments';
import { CFN_RESOURCE_TYPES, cfnTags } from './resource-types';

export interface RenderOptions {
  /** Folder the template is written to: function `Code` paths are relative to it. */
  readonly templateDirectory: string;
  /** Absolute path of the bundle folder of a function's entry (what `aws cloudformation package` zips). */
  readonly codeDirectory: (entry: string) => string;
}

export { ENVIRONMENT_PARAMETER };

export function renderTemplate(graphs: readonly EnvironmentGraph[], options: RenderOptions): CfnTemplate {
  if (graphs.length === 0) throw new Error('renderTemplate: no environment given');
  const environments = graphs.map((graph) => graph.environment);
  const merge = new EnvironmentMerge(environments, ENVIRONMENT_PARAMETER);
  const resources: Record<string, CfnResource> = {};
  for (const id of nodeIdsInOrder(graphs)) {
    const resource = renderResource(id, graphs, merge, options);
    if (resource) resources[id] = resource;
  }
  const outputs = renderOutputs(graphs, merge);
  // Mappings and Conditions last: merging the resources and outputs registered them.
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Environment-scoped SQS messaging: queue / dead-letter queue pairs, TLS-only queue policies, send and consume ' +
      'managed policies, CloudWatch alarms to an SNS alert topic, and the bundled Lambda services with their SQS event ' +
      'source mappings. Generated from the same model as the cdktf stacks; deploy with `aws cloudformation package` + ' +
      '`aws cloudformation deploy --parameter-overrides Environment=<environment>`.',
    Parameters: {
      [ENVIRONMENT_PARAMETER]: {
        Type: 'String',
        Description: `Environment to deploy (${environments.join(', ')}); selects every value in Mappings and names every resource.`,
        AllowedValues: environments,
      },
    },
    Mappings: merge.mappings(),
    Conditions: merge.conditions(),
    Resources: resources,
    Outputs: outputs,
  };
}

/** Every node id of every environment, in the order the graphs list them. */
function nodeIdsInOrder(graphs: readonly EnvironmentGraph[]): string[] {
  const ids: string[] = [];
  for (const graph of graphs) for (const node of graph.nodes) if (!ids.includes(node.id)) ids.push(node.id);
  return ids;
}

function renderResource(id: string, graphs: readonly EnvironmentGraph[], merge: EnvironmentMerge, options: RenderOptions): CfnResource | undefined {
  const nodes = graphs.map((graph) => graph.nodes.find((node) => node.id === id));
  const created = nodes.map((node) => (node && isCreated(node) ? node : undefined));
  const types = new Set(nodes.flatMap((node) => (node ? [node.type] : [])));
  if (types.size !== 1) throw new Error(`node "${id}" has different types in different environments (${[...types].join(', ')})`);
  const condition = merge.condition(created.map((node) => node !== undefined));
  if (condition.kind === 'never') return undefined; // referenced everywhere: nothing to create
  const table = CFN_RESOURCE_TYPES[[...types][0]!];

  const perEnvironment = created.map((node, index) => {
    if (!node) return undefined;
    const properties: Record<string, CfnValue> = { ...(toCfn(node.properties as unknown as GraphValue, graphs[index]!) as Record<string, CfnValue>) };
    if (node.type === 'lambda:function') {
      // A local folder: `aws cloudformation package` zips it, uploads it and writes S3Bucket/S3Key.
      properties.Code = toPosix(path.relative(options.templateDirectory, options.codeDirectory(node.code.entry)));
    }
    for (const name of table.jsonText ?? []) properties[name] = jsonText((node.properties as unknown as Record<string, GraphValue>)[name]!);
    if (table.tags === 'list' && node.tags) properties.Tags = cfnTags(node.tags);
    if (table.tags === 'map' && node.tags) properties.Tags = { ...node.tags };
    return properties;
  });
  const properties = merge.merge(perEnvironment, { mapping: id, key: '' }) as Record<string, CfnValue>;
  const dependsOn = commonDependsOn(id, created);
  return withoutNoValues({
    Type: table.type,
    ...(condition.kind === 'some' ? { Condition: condition.name } : {}),
    ...(dependsOn.length > 0 ? { DependsOn: dependsOn } : {}),
    Properties: properties,
  } as unknown as CfnValue) as unknown as CfnResource;
}

/** DependsOn cannot vary by environment: it must be the same wherever the resource exists. */
function commonDependsOn(id: string, nodes: readonly (GraphNode | undefined)[]): readonly string[] {
  const lists = nodes.flatMap((node) => (node && isCreated(node) ? [node.dependsOn ?? []] : []));
  const first = JSON.stringify(lists[0] ?? []);
  if (lists.some((list) => JSON.stringify(list) !== first)) throw new Error(`node "${id}" depends on different nodes in different environments`);
  return lists[0] ?? [];
}

/**
 * A graph value as the JSON text a property takes (a dashboard body): plain text, or one `Fn::Sub`
 * when account strings are inside (their placeholders kept, any other `${` escaped as `${!`).
 */
function jsonText(value: GraphValue): CfnValue {
  let substituted = false;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (isAccountString(item)) {
      substituted = true;
      return item.$sub;
    }
    if (isNodeRef(item)) throw new Error(`a reference (${item.$ref}.${item.$attribute}) inside JSON text is not supported; build the value from names`);
    return typeof item === 'string' ? item.replace(/\$\{/g, '${!') : item;
  });
  return substituted ? { 'Fn::Sub': text } : text.replace(/\$\{!/g, '${');
}

/** A graph value in template syntax, for one environment: references as intrinsics, account strings as Fn::Sub. */
function toCfn(value: GraphValue, graph: EnvironmentGraph): CfnValue {
  return resolveValue(value, {
    ref: (reference) => {
      const target = graph.nodes.find((node) => node.id === reference.$ref);
      if (!target) throw new Error(`${graph.environment}: the graph refers to node "${reference.$ref}", which it does not have`);
      if (!isCreated(target)) {
        const existing = target.existing[reference.$attribute];
        if (existing === undefined) throw new Error(`${graph.environment}: referenced node "${target.id}" has no ${reference.$attribute}`);
        return existing;
      }
      const intrinsic = CFN_RESOURCE_TYPES[target.type].attributes[reference.$attribute];
      if (!intrinsic) throw new Error(`${target.type} "${target.id}": CloudFormation has no ${reference.$attribute} attribute mapped`);
      return intrinsic(target.id);
    },
    accountString: (text) => ({ 'Fn::Sub': text.$sub }),
  }) as CfnValue;
}

function renderOutputs(graphs: readonly EnvironmentGraph[], merge: EnvironmentMerge): Record<string, CfnOutput> {
  const outputs: Record<string, CfnOutput> = {};
  const ids: string[] = [];
  for (const graph of graphs) for (const output of graph.outputs) if (!ids.includes(output.id)) ids.push(output.id);
  for (const id of ids) {
    const perEnvironment = graphs.map((graph) => graph.outputs.find((output) => output.id === id));
    const defined = perEnvironment.filter((output) => output !== undefined);
    const descriptions = new Set(defined.map((output) => output.description));
    // An output's description is a literal shared by every environment.
    if (descriptions.size !== 1) throw new Error(`output ${id} has a different description per environment`);
    const condition = merge.condition(perEnvironment.map((output) => output !== undefined));
    const value = merge.merge(
      perEnvironment.map((output, index) => (output ? toCfn(output.value, graphs[index]!) : undefined)),
      { mapping: 'Outputs', key: id },
    );
    const exportName = merge.merge(
      perEnvironment.map((output) => output?.exportName),
      { mapping: 'Outputs', key: `${id}Export` },
    );
    outputs[id] = withoutNoValues({
      Description: [...descriptions][0]!,
      ...(condition.kind === 'some' ? { Condition: condition.name } : {}),
      Value: value,
      Export: { Name: exportName },
    } as unknown as CfnValue) as unknown as CfnOutput;
  }
  return outputs;
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}
