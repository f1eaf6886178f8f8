/**
 * `npm run contract`: writes contract/order-events.schema.json from the zod schemas
 * (`-- --check` only compares and exits 1 when the file is stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { messageContractJsonSchema } from './message-contract';

/** Where the generated schema lives (committed, for teams that only read files). */
export const CONTRACT_SCHEMA_FILE = path.join(__dirname, 'order-events.schema.json');

/** The file's content as generated now. */
export function contractSchemaText(): string {
  return JSON.stringify(messageContractJsonSchema(), null, 2) + '\n';
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run contract [-- --check]\n\nwrites contract/order-events.schema.json from lambdas/shared/order-events.ts; --check only compares');
  } else if (args.some((arg) => arg !== '--check')) {
    console.error(`unknown argument ${args.find((arg) => arg !== '--check')}; usage: npm run contract [-- --check]`);
    process.exitCode = 2;
  } else if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(CONTRACT_SCHEMA_FILE, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== contractSchemaText()) {
      console.error(`${path.relative(process.cwd(), CONTRACT_SCHEMA_FILE)} is stale: run npm run contract`);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(CONTRACT_SCHEMA_FILE, contractSchemaText());
    console.log(`wrote ${path.relative(process.cwd(), CONTRACT_SCHEMA_FILE)}`);
  }
}
