/**
 * `npm run templates`: bundles the Lambda services and writes templates/messaging.yaml from the
 * reference topology and environment profiles. `npm run templates -- --check` writes nothing and
 * exits 1 when the committed file is out of date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { distinctWarnings, SpecValidationError } from '../model';
import { buildMessagingTemplate, MESSAGING_TEMPLATE_FILE } from './render';

const HELP = `Usage: npm run templates [-- --check]

Bundles the Lambda services into .build/lambdas/<service>/ and renders templates/messaging.yaml
from stacks/topology.ts and stacks/environments.ts (the same model the cdktf stacks use).

  --check    write nothing; exit 1 when the committed template is out of date
  -h, --help show this help`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const unknown = args.find((arg) => arg !== '--check');
if (unknown) {
  console.error(`templates: unknown argument ${unknown}; see npm run templates -- --help`);
  process.exit(2);
}
const check = args.includes('--check');
try {
  const { graphs, yaml } = buildMessagingTemplate();
  for (const warning of distinctWarnings(graphs.map((graph) => graph.settings))) console.warn(`warning: ${warning}`);
  const relative = path.relative(process.cwd(), MESSAGING_TEMPLATE_FILE);
  const current = existsSync(MESSAGING_TEMPLATE_FILE) ? readFileSync(MESSAGING_TEMPLATE_FILE, 'utf8') : undefined;
  if (check) {
    if (current !== yaml) {
      console.error(`${relative} is out of date: run \`npm run templates\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${relative} is up to date.`);
  } else if (current === yaml) {
    console.log(`${relative} is up to date (${graphs.map((graph) => graph.environment).join(', ')}); Lambda bundles in .build/lambdas/.`);
  } else {
    writeFileSync(MESSAGING_TEMPLATE_FILE, yaml);
    console.log(`wrote ${relative} (${graphs.map((graph) => graph.environment).join(', ')}); Lambda bundles in .build/lambdas/.`);
  }
} catch (error) {
  if (error instanceof SpecValidationError) {
    console.error(error.message);
    console.error('Nothing was written.');
    process.exit(1);
  }
  throw error;
}
