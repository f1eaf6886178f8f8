/**
 * Synthesizes the development, staging and production stacks into cdktf.out/stacks/<env>/.
 * Run by `npm run synth` and by the cdktf CLI (`cdktf synth|deploy <env>`, see cdktf.json).
 */
import { distinctWarnings, SpecValidationError } from '../constructs';
import { buildMessagingApp } from './app';
import { environments } from './environments';
import { topology } from './topology';

try {
  const { app, specs } = buildMessagingApp({ topology, environments });
  for (const warning of distinctWarnings(specs)) console.warn(`warning: ${warning}`);
  app.synth();
  console.log(`synthesized ${specs.map((s) => s.environment).join(', ')} into ${app.outdir}/stacks/`);
} catch (error) {
  if (error instanceof SpecValidationError) {
    console.error(error.message);
    console.error('Nothing was synthesized.');
    process.exit(1);
  }
  throw error;
}
