/**
 * The model's entry point: the user's description → one validated resource graph per environment.
 * Every problem in every requested environment is collected and thrown once (SpecValidationError);
 * nothing is built when there is one.
 */
import { environmentGraph, type EnvironmentGraph } from './graph/environment';
import type { EnvironmentProfiles, Topology } from './input';
import { Problems } from './problems';
import { resolveAll } from './resolve/environment';
import type { ResolvedEnvironment } from './resolve/resolved';
import { scaleTimings, type TimingChange } from './resolve/time-scale';
import { checkCollisions } from './rules/collisions';

/** Builds the graphs of the requested environments (every environment of `profiles` by default). */
export function buildGraphs(topology: Topology, profiles: EnvironmentProfiles, environments?: readonly string[]): EnvironmentGraph[] {
  const problems = new Problems();
  const graphs = resolveAll(problems, topology, profiles, environments).map(environmentGraph);
  // Names that differ as written but become one after our own transformations.
  for (const graph of graphs) checkCollisions(problems, graph);
  problems.throwIfAny();
  return graphs;
}

/** Builds one environment's graph. */
export function buildGraph(topology: Topology, profiles: EnvironmentProfiles, environment: string): EnvironmentGraph {
  return buildGraphs(topology, profiles, [environment])[0]!;
}

/** The resolved settings of the requested environments, validated exactly as {@link buildGraphs} does. */
export function resolveEnvironments(topology: Topology, profiles: EnvironmentProfiles, environments?: readonly string[]): ResolvedEnvironment[] {
  return buildGraphs(topology, profiles, environments).map((graph) => graph.settings);
}

/** One environment's resolved settings. */
export function resolveEnvironment(topology: Topology, profiles: EnvironmentProfiles, environment: string): ResolvedEnvironment {
  return buildGraph(topology, profiles, environment).settings;
}

/**
 * The graph with shorter timings for a local run (`npm start -- --fast`): function timeouts and
 * queue visibility divided, the visibility rule kept (see resolve/time-scale.ts).
 */
export function withScaledTimings(graph: EnvironmentGraph, divisor?: number): { graph: EnvironmentGraph; changes: TimingChange[] } {
  const { environment, changes } = scaleTimings(graph.settings, divisor);
  return { graph: environmentGraph(environment), changes };
}
