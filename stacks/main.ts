/**
 * Synthesizes the environment stacks into cdktf.out/stacks/<stack>/cdk.tf.json.
 * Run by `npm run synth [-- <environment>...]` and by the cdktf CLI (`cdktf synth|deploy <stack>`,
 * see cdktf.json), which passes no arguments and so gets every environment of the profiles.
 */
import { distinctWarnings, SpecValidationError } from '../model';
import { synthesizeMessagingApp } from './app';
import { environments } from './environments';
import { topology } from './topology';

const HELP = `Usage: npm run synth [-- <environment>...]

Builds the model of stacks/topology.ts and stacks/environments.ts, bundles the Lambda services
(in parallel, reusing unchanged bundles in .build/), and writes Terraform JSON to
cdktf.out/stacks/<environment>/cdk.tf.json.

Environments: ${Object.keys(environments).join(', ')} (default: all of them; add one by adding a
profile to stacks/environments.ts). Nothing is written when the model has a problem; every
problem is listed.`;

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const flag = args.find((arg) => arg.startsWith('-'));
  if (flag) {
    console.error(`synth: unknown option ${flag}; see npm run synth -- --help`);
    return 2;
  }
  try {
    const started = Date.now();
    const { app, graphs } = await synthesizeMessagingApp({ topology, environments, ...(args.length > 0 ? { only: args } : {}) });
    for (const warning of distinctWarnings(graphs.map((graph) => graph.settings))) console.warn(`warning: ${warning}`);
    console.log(`wrote ${graphs.map((graph) => `${app.outdir}/stacks/${graph.namePrefix}/cdk.tf.json`).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    if (error instanceof SpecValidationError) {
      console.error(error.message);
      console.error('Nothing was synthesized.');
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`synth failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
