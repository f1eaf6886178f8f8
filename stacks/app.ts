import { App } from 'cdktf';
import { bundleLambdas } from '../bundling/bundle-lambda';
import { buildGraphs, type EnvironmentGraph, type EnvironmentProfiles, type Topology } from '../model';
import { MessagingStack } from './messaging-stack';

export interface MessagingAppOptions {
  readonly topology: Topology;
  readonly environments: EnvironmentProfiles;
  /** @default 'cdktf.out' (or CDKTF_OUTDIR when run by the cdktf CLI) */
  readonly outdir?: string;
  /** Environments to synthesize. @default every environment of the profiles */
  readonly only?: readonly string[];
}

export interface MessagingApp {
  readonly app: App;
  readonly graphs: readonly EnvironmentGraph[];
}

/**
 * Builds every environment's graph first (throwing once with every problem, before a single
 * construct exists), bundles every function in parallel (reusing unchanged bundles on disk), then
 * builds one stack per environment. Nothing is written until `app.synth()`.
 */
export async function buildMessagingApp(options: MessagingAppOptions): Promise<MessagingApp> {
  const graphs = buildGraphs(options.topology, options.environments, options.only);
  await bundleFunctionsOf(graphs);
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  for (const graph of graphs) new MessagingStack(app, { graph });
  return { app, graphs };
}

/** Bundles the functions of `graphs` in parallel; constructs then find the bundles on disk. */
export async function bundleFunctionsOf(graphs: readonly EnvironmentGraph[]): Promise<void> {
  const entries = graphs.flatMap((graph) => graph.pieces.functions.map((fn) => fn.settings.entry));
  await bundleLambdas(entries);
}
