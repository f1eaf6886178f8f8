import { App } from 'cdktf';
import { bundleLambdas } from '../bundling/bundle-lambda';
import { zipBundles, type DeterministicZip } from '../bundling/zip-bundle';
import { provideFunctionZips } from '../constructs/render/function-code';
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
 * construct exists), bundles and zips every function in parallel (reusing unchanged bundles on
 * disk), then builds one stack per environment on those zips. Nothing is written until `app.synth()`.
 */
export async function buildMessagingApp(options: MessagingAppOptions): Promise<MessagingApp> {
  const graphs = buildGraphs(options.topology, options.environments, options.only);
  return buildStacks(options, graphs, await bundleFunctionsOf(graphs));
}

function buildStacks(options: MessagingAppOptions, graphs: readonly EnvironmentGraph[], zips: ReadonlyMap<string, DeterministicZip>): MessagingApp {
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  provideFunctionZips(app, zips);
  for (const graph of graphs) new MessagingStack(app, { graph });
  return { app, graphs };
}

/** Bundles and zips the functions of `graphs` in parallel; the zips by entry. */
export async function bundleFunctionsOf(graphs: readonly EnvironmentGraph[]): Promise<Map<string, DeterministicZip>> {
  const entries = [...new Set(graphs.flatMap((graph) => graph.pieces.functions.map((fn) => fn.settings.entry)))];
  const zips = await zipBundles(await bundleLambdas(entries));
  return new Map(entries.map((entry, index) => [entry, zips[index]!]));
}

/**
 * Builds and synthesizes the app (see {@link buildMessagingApp}), writing cdktf.out.
 *
 * cdktf captures and formats a full stack trace for every token and nested block it creates
 * (thousands per stack), to name where a token came from in its own error messages. At scale
 * that is a third of the synth, more with source maps on (tsx turns them on: Node then maps every
 * frame). While the constructs are built and written (synchronously), source maps are off and those
 * traces are recorded empty; errors still get their stack, in JavaScript frames. Both are restored after.
 */
export async function synthesizeMessagingApp(options: MessagingAppOptions): Promise<MessagingApp> {
  const graphs = buildGraphs(options.topology, options.environments, options.only);
  const zips = await bundleFunctionsOf(graphs);
  const sourceMaps = process.sourceMapsEnabled;
  const prepareStackTrace = Error.prepareStackTrace;
  process.setSourceMapsEnabled(false);
  // cdktf's traces are captured on plain objects (`{ stack: '' }`), errors' on errors.
  Error.prepareStackTrace = (target: unknown, frames: NodeJS.CallSite[]) =>
    target instanceof Error ? (prepareStackTrace ? prepareStackTrace(target, frames) : [String(target), ...frames.map((frame) => `    at ${frame}`)].join('\n')) : '';
  try {
    const built = buildStacks(options, graphs, zips);
    built.app.synth();
    return built;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    process.setSourceMapsEnabled(sourceMaps);
  }
}
