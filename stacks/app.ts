import { App } from 'cdktf';
import { resolveEnvironments, type EnvironmentProfiles, type ResolvedEnvironment, type Topology } from '../constructs';
import { MessagingStack } from './messaging-stack';

export interface MessagingAppOptions {
  readonly topology: Topology;
  readonly environments: EnvironmentProfiles;
  /** @default 'cdktf.out' (or CDKTF_OUTDIR when run by the cdktf CLI) */
  readonly outdir?: string;
  /** Environments to synthesize. @default all three */
  readonly only?: readonly string[];
}

export interface MessagingApp {
  readonly app: App;
  readonly specs: readonly ResolvedEnvironment[];
}

/**
 * Resolves and validates every environment first (throwing once with every problem, before a
 * single construct exists), then builds one stack per environment. Nothing is written until
 * `app.synth()`.
 */
export function buildMessagingApp(options: MessagingAppOptions): MessagingApp {
  const specs = resolveEnvironments(options.topology, options.environments, options.only);
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  for (const spec of specs) new MessagingStack(app, { spec });
  return { app, specs };
}
