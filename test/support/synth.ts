/** Synthesizes stacks the way `npm run synth` does, returning the parsed Terraform JSON. */
import { Testing } from 'cdktf';
import { buildGraph, type EnvironmentGraph, type EnvironmentProfiles, type Topology } from '../../model';
import { environments } from '../../stacks/environments';
import { MessagingStack } from '../../stacks/messaging-stack';
import { topology } from '../../stacks/topology';

/** Terraform JSON: `resource.<type>.<id>` objects, `output`, `data`, `terraform`. */
export interface TerraformJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: string; description?: string }>;
  readonly terraform: Record<string, unknown>;
}

export interface SynthesizedEnvironment {
  readonly graph: EnvironmentGraph;
  readonly stack: MessagingStack;
  /** The synthesized JSON text, for cdktf's Testing matchers. */
  readonly synthesized: string;
  /** The same, parsed (Testing drops each resource's `//` comment block). */
  readonly json: TerraformJson;
  /** What `cdktf synth` writes to cdk.tf.json, `//` blocks included (they name each resource's graph node). */
  readonly written: TerraformJson;
}

export function synthesizeEnvironment(
  environment: string,
  options: { topology?: Topology; environments?: EnvironmentProfiles } = {},
): SynthesizedEnvironment {
  const graph = buildGraph(options.topology ?? topology, options.environments ?? environments, environment);
  const app = Testing.app();
  const stack = new MessagingStack(app, { graph });
  const synthesized = Testing.synth(stack);
  const written = JSON.parse(JSON.stringify(stack.toTerraform())) as TerraformJson;
  return { graph, stack, synthesized, json: JSON.parse(synthesized) as TerraformJson, written };
}

/** The resources of one Terraform type, as a list. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, unknown>[] {
  return Object.values(json.resource[type] ?? {});
}

/** Finds the one resource of `type` whose attribute `key` equals `value`. */
export function resourceWhere(json: TerraformJson, type: string, key: string, value: unknown): Record<string, unknown> {
  const matches = resourcesOf(json, type).filter((resource) => resource[key] === value);
  if (matches.length !== 1) throw new Error(`expected one ${type} with ${key} = ${JSON.stringify(value)}, found ${matches.length}`);
  return matches[0]!;
}

/** The Terraform address `${aws_sqs_queue.<id>.<attribute>}` of the resource with that name (or function name). */
export function referenceTo(json: TerraformJson, type: string, name: string, attribute: string): string {
  const entry = Object.entries(json.resource[type] ?? {}).find(
    ([, resource]) => resource.name === name || resource.function_name === name || resource.dashboard_name === name,
  );
  if (!entry) throw new Error(`no ${type} named ${name}`);
  return `\${${type}.${entry[0]}.${attribute}}`;
}
