/**
 * Synthesizes the environment stacks into cdktf.out/stacks/<env>/cdk.tf.json.
 * Run by `npm run synth [-- <environment>...]` and by the cdktf CLI (`cdktf synth|deploy <env>`,
 * see cdktf.json), which passes no arguments and so gets all three.
 */
import { distinctWarnings, ENVIRONMENT_NAMES, SpecValidationError } from '../constructs';
import { buildMessagingApp } from './app';
import { environments } from './environments';
import { topology } from './topology';

const HELP = `Usage: npm run synth [-- <environment>...]

Resolves and validates stacks/topology.ts and stacks/environments.ts, bundles the Lambda services,
and writes Terraform JSON to cdktf.out/stacks/<environment>/cdk.tf.json.

Environments: ${ENVIRONMENT_NAMES.join(', ')} (default: all three).
Nothing is written when the spec has a problem; every problem is listed.`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const flag = args.find((arg) => arg.startsWith('-'));
if (flag) {
  console.error(`synth: unknown option ${flag}; see npm run synth -- --help`);
  process.exit(2);
}

try {
  const { app, specs } = buildMessagingApp({ topology, environments, ...(args.length > 0 ? { only: args } : {}) });
  for (const warning of distinctWarnings(specs)) console.warn(`warning: ${warning}`);
  console.log(`bundling Lambda services and synthesizing ${specs.map((s) => s.environment).join(', ')} ...`);
  app.synth();
  console.log(`wrote ${specs.map((s) => `${app.outdir}/stacks/${s.environment}/cdk.tf.json`).join(', ')}`);
} catch (error) {
  if (error instanceof SpecValidationError) {
    console.error(error.message);
    console.error('Nothing was synthesized.');
    process.exit(1);
  }
  throw error;
}
