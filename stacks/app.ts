import { App } from 'cdktf';
import { bundleLambdas } from '../bundling/bundle-lambda';
import { zipBundles } from '../bundling/zip-bundle';
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

/** Bundles and zips the functions of `graphs` in parallel; constructs then find both on disk. */
export async function bundleFunctionsOf(graphs: readonly EnvironmentGraph[]): Promise<void> {
  const entries = graphs.flatMap((graph) => graph.pieces.functions.map((fn) => fn.settings.entry));
  await zipBundles(await bundleLambdas(entries));
}

/**
 * Builds and synthesizes the app (see {@link buildMessagingApp}), writing cdktf.out.
 *
 * cdktf captures a full stack trace for every token it creates (thousands per stack); when source
 * maps are on (tsx turns them on), Node maps every frame of every trace, which takes a third of
 * the synth time of a large topology. They are off while the constructs are built and written, and
 * restored after: a synth error then shows the JavaScript frames, not the TypeScript ones.
 */
export async function synthesizeMessagingApp(options: MessagingAppOptions): Promise<MessagingApp> {
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    const built = await buildMessagingApp(options);
    built.app.synth();
    return built;
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}
