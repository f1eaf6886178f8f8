/**
 * The committed template `templates/messaging.yaml`: the reference topology and environment
 * profiles, built by the model, bundled, and rendered. Used by `npm run templates` and by the
 * drift test, so both produce the file the same way.
 */
import path from 'node:path';
import { bundleLambda } from '../../bundling/bundle-lambda';
import { buildGraphs, type EnvironmentGraph, type EnvironmentProfiles, type Topology } from '../../model';
import { environments as referenceEnvironments } from '../../stacks/environments';
import { topology as referenceTopology } from '../../stacks/topology';
import type { CfnTemplate } from './cfn';
import { renderTemplate } from './render-template';
import { templateToYaml } from './write-yaml';

/** Where the template is committed. */
export const MESSAGING_TEMPLATE_FILE = path.resolve(__dirname, '..', 'messaging.yaml');

export interface BuildTemplateOptions {
  readonly topology?: Topology;
  readonly environments?: EnvironmentProfiles;
  /** Folder of a function's bundle. @default bundles with `bundleLambda` (esbuild) into `.build/lambdas/<service>` */
  readonly codeDirectory?: (entry: string) => string;
  /** @default the folder of {@link MESSAGING_TEMPLATE_FILE} */
  readonly templateDirectory?: string;
}

export interface BuiltTemplate {
  readonly graphs: readonly EnvironmentGraph[];
  readonly template: CfnTemplate;
  readonly yaml: string;
}

/** Builds every environment's graph (throwing once with every problem), bundles the functions and renders. */
export function buildMessagingTemplate(options: BuildTemplateOptions = {}): BuiltTemplate {
  const graphs = buildGraphs(options.topology ?? referenceTopology, options.environments ?? referenceEnvironments);
  const template = renderTemplate(graphs, {
    templateDirectory: options.templateDirectory ?? path.dirname(MESSAGING_TEMPLATE_FILE),
    codeDirectory: options.codeDirectory ?? ((entry) => bundleLambda(entry).directory),
  });
  return { graphs, template, yaml: templateToYaml(template) };
}
