/**
 * What local mode needs beyond the package itself, checked before anything starts so that a missing
 * piece is one error that says what to do, instead of a crash in a child process: a Node.js with
 * `node:sqlite` (fauxqs, the embedded SQS server, keeps its queues in it) and the embedded servers'
 * packages. Those are optional peer dependencies of the package (see package.json): a project that
 * only uses the constructs does not carry them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The optional peer packages local mode loads, and what for (the keys of package.json's `peerDependenciesMeta`). */
export const LOCAL_MODE_PACKAGES = {
  fauxqs: 'the embedded SQS server',
  dynalite: 'the embedded DynamoDB server that holds the idempotency table',
  '@aws-sdk/client-dynamodb': 'creating the idempotency table',
} as const;

type LocalModePackage = keyof typeof LOCAL_MODE_PACKAGES;

/** The oldest Node.js with `node:sqlite` (22.5.0); it is behind `--experimental-sqlite` before 22.13.0 and 23.4.0. */
const MINIMUM_NODE: readonly [number, number] = [22, 5];

/** Local mode cannot start here: an older Node.js, or optional peer packages the project has not installed. */
export class LocalRequirementError extends Error {
  override readonly name = 'LocalRequirementError';
  constructor(
    message: string,
    /** The packages to install (empty when Node.js is the problem). */
    readonly missingPackages: readonly string[] = [],
    /** The command that installs them, with the tested ranges. */
    readonly installCommand?: string,
  ) {
    super(message);
  }
}

/**
 * Throws {@link LocalRequirementError} unless this Node.js runs the embedded SQS server and the
 * project has the packages the environment needs: fauxqs always, dynalite and
 * `@aws-sdk/client-dynamodb` when it has an idempotency table (any environment with functions).
 * @param nodeVersion for tests. @default process.versions.node
 */
export function checkLocalRequirements(needs: { readonly idempotencyTable: boolean }, nodeVersion: string = process.versions.node): void {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  if (major < MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1])) {
    throw new LocalRequirementError(
      `local mode needs Node.js ${MINIMUM_NODE.join('.')} or later (fauxqs, the embedded SQS server, keeps its queues in node:sqlite); ` +
        `this is Node.js ${nodeVersion}: run it with Node.js ${MINIMUM_NODE.join('.')} or later (22 LTS, 24 LTS)`,
    );
  }
  const needed: LocalModePackage[] = needs.idempotencyTable ? ['fauxqs', 'dynalite', '@aws-sdk/client-dynamodb'] : ['fauxqs'];
  requirePackages(needed.filter((name) => !isInstalled(name)));
}

/**
 * Node arguments the embedded SQS server's process needs on this Node.js: `--experimental-sqlite`
 * where `node:sqlite` is still behind it (22.5 – 22.12, 23.0 – 23.3), else none.
 */
export function sqliteNodeArguments(nodeVersion: string = process.versions.node): string[] {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  const flagged = (major === 22 && minor >= 5 && minor < 13) || (major === 23 && minor < 4);
  return flagged ? ['--experimental-sqlite'] : [];
}

/** `@aws-sdk/client-dynamodb`, loaded on first use: `sqs-messaging-as-code/local` loads without it. */
export function loadDynamoDbSdk(): typeof import('@aws-sdk/client-dynamodb') {
  if (!isInstalled('@aws-sdk/client-dynamodb')) requirePackages(['@aws-sdk/client-dynamodb']);
  return require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
}

function requirePackages(missing: readonly LocalModePackage[]): void {
  if (missing.length === 0) return;
  const manifest = packageManifest();
  const installCommand = `npm install -D ${missing.map((name) => `${name}@${manifest.peerDependencies[name] ?? 'latest'}`).join(' ')}`;
  const what = missing.map((name) => `${name} (${LOCAL_MODE_PACKAGES[name]})`).join(', ');
  throw new LocalRequirementError(
    `local mode needs ${what}: ${missing.length === 1 ? 'an optional peer dependency' : 'optional peer dependencies'} of ${manifest.name} ` +
      `that this project has not installed. Install ${missing.length === 1 ? 'it' : 'them'} with: ${installCommand}`,
    missing,
    installCommand,
  );
}

/** Whether `name` resolves from here the way Node resolves it (fauxqs is ESM-only, so no require.resolve). */
function isInstalled(name: string): boolean {
  const folders = createRequire(__filename).resolve.paths(name) ?? [];
  return folders.some((folder) => existsSync(path.join(folder, name, 'package.json')));
}

/**
 * The package's name and tested peer ranges, from its package.json: the nearest above this file
 * (local/ in the repository, dist/local/ when installed).
 */
function packageManifest(): { readonly name: string; readonly peerDependencies: Readonly<Record<string, string>> } {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    const file = path.join(folder, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name: string; peerDependencies?: Record<string, string> };
      return { name: manifest.name, peerDependencies: manifest.peerDependencies ?? {} };
    }
    if (path.dirname(folder) === folder) throw new Error(`no package.json above ${__dirname}`);
  }
}
