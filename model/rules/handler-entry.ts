/**
 * A Lambda entry must be a file that exists, is not empty and exports `handler`. The export is
 * checked from the source text (the model does not bundle): a declaration or export list naming
 * `handler`, or an `export *` that may re-export it. The bundler checks the built module's exports
 * exactly (see bundling/bundle-lambda.ts).
 */
import { readFileSync, statSync } from 'node:fs';

const EXPORTS_HANDLER = [
  /\bexport\s+(?:const|let|var|async\s+function\*?|function\*?|class)\s+handler\b/,
  /\bexport\s*\{[^}]*\bhandler\b[^}]*\}/,
  /\bexport\s*\*\s*from\b/,
  // CommonJS handlers (plain JavaScript entries).
  /\b(?:module\.)?exports\.handler\s*=/,
  /\bmodule\.exports\s*=/,
];

/** What is wrong with the entry at `file` (an absolute path), or undefined when it looks usable. */
export function handlerEntryProblem(file: string): string | undefined {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    return `no file at ${file}`;
  }
  if (stats.isDirectory()) return `${file} is a directory; point entry at the handler module inside it (e.g. ${file}/handler.ts)`;
  if (!stats.isFile()) return `${file} is not a regular file`;
  const source = readFileSync(file, 'utf8');
  if (source.trim() === '') return `${file} is empty; it must export a function named handler`;
  if (!EXPORTS_HANDLER.some((pattern) => pattern.test(source))) {
    return `${file} does not export handler; add \`export const handler = async (event) => { … }\``;
  }
  return undefined;
}
