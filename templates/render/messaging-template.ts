/**
 * The committed template `templates/messaging.yaml`: the reference topology and environment
 * profiles, resolved by the spec layer, bundled, and rendered. Used by `npm run templates` and by the
 * drift test, so both produce the file the same way.
 */
import path from 'node:path';
import { bundleLambda } from '../../constructs/bundling/bundle-lambda';
import {
  resolveEnvironments,
  type EnvironmentProfiles,
  type ResolvedEnvironment,
  type ResolvedFunction,
  type Topology,
} from '../../constructs/spec';
import { environments as referenceEnvironments } from '../../stacks/environments';
import { topology as referenceTopology } from '../../stacks/topology';
import type { CfnTemplate } from './cfn';
import { renderMessagingTemplate } from './render-messaging';
import { templateToYaml } from './write-yaml';

/** Where the template is committed. */
export const MESSAGING_TEMPLATE_FILE = path.resolve(__dirname, '..', 'messaging.yaml');

export interface BuildTemplateOptions {
  readonly topology?: Topology;
  readonly environments?: EnvironmentProfiles;
  /** Folder of a function's bundle. @default bundles with `bundleLambda` (esbuild) into `.build/lambdas/<service>` */
  readonly codeDirectory?: (fn: ResolvedFunction) => string;
  /** @default the folder of {@link MESSAGING_TEMPLATE_FILE} */
  readonly templateDirectory?: string;
}

export interface BuiltTemplate {
  readonly specs: readonly ResolvedEnvironment[];
  readonly template: CfnTemplate;
  readonly yaml: string;
}

/** Resolves every environment (throwing once with every problem), bundles the functions and renders. */
export function buildMessagingTemplate(options: BuildTemplateOptions = {}): BuiltTemplate {
  const specs = resolveEnvironments(options.topology ?? referenceTopology, options.environments ?? referenceEnvironments);
  const template = renderMessagingTemplate(specs, {
    templateDirectory: options.templateDirectory ?? path.dirname(MESSAGING_TEMPLATE_FILE),
    codeDirectory: options.codeDirectory ?? ((fn) => bundleLambda(fn.entry).directory),
  });
  return { specs, template, yaml: templateToYaml(template) };
}
