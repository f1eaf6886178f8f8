/**
 * `npm run templates`: bundles the Lambda services and writes templates/messaging.yaml from the
 * reference topology and environment profiles. `npm run templates -- --check` writes nothing and
 * exits 1 when the committed file is out of date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { distinctWarnings, SpecValidationError } from '../constructs/spec';
import { buildMessagingTemplate, MESSAGING_TEMPLATE_FILE } from './render';

const check = process.argv.includes('--check');
try {
  const { specs, yaml } = buildMessagingTemplate();
  for (const warning of distinctWarnings(specs)) console.warn(`warning: ${warning}`);
  const relative = path.relative(process.cwd(), MESSAGING_TEMPLATE_FILE);
  const current = existsSync(MESSAGING_TEMPLATE_FILE) ? readFileSync(MESSAGING_TEMPLATE_FILE, 'utf8') : undefined;
  if (check) {
    if (current !== yaml) {
      console.error(`${relative} is out of date: run \`npm run templates\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${relative} is up to date.`);
  } else if (current === yaml) {
    console.log(`${relative} is up to date (${specs.map((s) => s.environment).join(', ')}); Lambda bundles in .build/lambdas/.`);
  } else {
    writeFileSync(MESSAGING_TEMPLATE_FILE, yaml);
    console.log(`wrote ${relative} (${specs.map((s) => s.environment).join(', ')}); Lambda bundles in .build/lambdas/.`);
  }
} catch (error) {
  if (error instanceof SpecValidationError) {
    console.error(error.message);
    console.error('Nothing was written.');
    process.exit(1);
  }
  throw error;
}
