/**
 * Bundling a TypeScript (or JavaScript) Lambda handler with esbuild: the one function the cdktf
 * constructs (at synth), the CloudFormation renderer and local mode all use (DESIGN §2).
 *
 * - Everything is bundled, the AWS SDK included: the SDK in the Lambda runtime changes version
 *   without notice, while a bundled one is the version we tested; a single tree-shaken file also
 *   loads faster than resolving the runtime's node_modules, and local mode runs the same artefact.
 * - Reproducible: the same sources and dependencies give byte-identical files and the same
 *   `sha256` on any machine and in any `outDir` (no timestamps; source map paths are relative to
 *   the default output folder, not to `outDir`, and carry no absolute paths).
 * - Cached on disk by content: beside each output folder is a manifest of the files that went into it
 *   (with their hashes), so an unchanged function is not rebundled by the next process (`synth`,
 *   `cdktf deploy`, `npm start`). Files are replaced atomically and only when their content
 *   changed, so concurrent processes never read a half-written bundle.
 * - {@link bundleLambdas} bundles independent functions in parallel (esbuild's async API);
 *   {@link bundleLambda} is synchronous because cdktf constructs are built synchronously.
 *
 * esbuild is loaded only when something is actually bundled, so loading the constructs is cheap.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildFailure, BuildOptions, BuildResult } from 'esbuild';

/** Options of {@link bundleLambda}. */
export interface BundleLambdaOptions {
  /**
   * Folder to write `index.mjs` and `index.mjs.map` to. Use a folder per function: a Terraform
   * ARCHIVE asset zips the whole folder.
   * @default `<projectRoot>/.build/lambdas/<name>`, `<name>` being the entry's folder (and its file
   * name unless that is `handler` or `index`); `.build/` is git-ignored
   */
  readonly outDir?: string;
}

/** A bundled handler, ready to zip and deploy with handler `index.handler` on `nodejs24.x`. */
export interface LambdaBundle {
  /** Folder holding the deployment package content: `index.mjs` and `index.mjs.map`. */
  readonly directory: string;
  /** `<directory>/index.mjs`: ESM, minified, exports `handler`. */
  readonly file: string;
  /** `<directory>/index.mjs.map`: linked source map (mappings only, no sources content). */
  readonly sourceMapFile: string;
  /** SHA-256 (hex) of `index.mjs` followed by `index.mjs.map`: changes exactly when the deployed code does. */
  readonly sha256: string;
  /** Size of `index.mjs` in bytes. */
  readonly bytes: number;
  /** Whether this call reused the bundle on disk instead of running esbuild. */
  readonly cached: boolean;
}

/** Runtime the bundle targets (the functions run on `nodejs24.x`). */
export const BUNDLE_TARGET = 'node24';

/**
 * esbuild turns `require()` calls left in CommonJS dependencies into a shim that needs a real
 * `require`; ES modules have none, so the bundle creates one (the usual banner for ESM bundles).
 */
const CREATE_REQUIRE_BANNER = "import{createRequire as __bundleCreateRequire}from'node:module';const require=__bundleCreateRequire(import.meta.url);";

/**
 * Written beside the bundle folder (`<folder>.manifest.json`), never in it: the folder is the
 * deployment package that Terraform and `aws cloudformation package` zip whole.
 */
function manifestFileOf(directory: string): string {
  return `${directory}.manifest.json`;
}
/** Bump when the build options below change: every cached bundle is then rebuilt. */
const BUILD_OPTIONS_VERSION = 3;

interface Manifest {
  readonly version: number;
  readonly esbuild: string;
  /** The entry, relative to the project root. */
  readonly entry: string;
  /** Input file (relative to the project root) → SHA-256 of its content, size and mtime when hashed. */
  readonly inputs: Readonly<Record<string, { readonly sha256: string; readonly size: number; readonly mtimeMs: number }>>;
  readonly sha256: string;
  readonly bytes: number;
}

/** Bundles `entry` (e.g. `lambdas/order-service/handler.ts`) into one ESM file, reusing a current bundle. */
export function bundleLambda(entry: string, options: BundleLambdaOptions = {}): LambdaBundle {
  const plan = planBundle(entry, options);
  const current = currentBundle(plan);
  if (current) return current;
  let result: BuildResult<BuildOptions & { write: false; metafile: true }>;
  try {
    result = esbuild().buildSync(buildOptions(plan));
  } catch (error) {
    throw buildError(plan, error);
  }
  return writeBundle(plan, result);
}

/**
 * Bundles several entries, independent ones in parallel; the same entry twice is bundled once.
 * Resolves with one bundle per entry, in order.
 */
export async function bundleLambdas(entries: readonly string[], options: { readonly onBundle?: (bundle: LambdaBundle, entry: string) => void } = {}): Promise<LambdaBundle[]> {
  const byEntry = new Map<string, Promise<LambdaBundle>>();
  const bundleOne = async (entry: string): Promise<LambdaBundle> => {
    const plan = planBundle(entry, {});
    const current = currentBundle(plan);
    if (current) return current;
    let result: BuildResult<BuildOptions & { write: false; metafile: true }>;
    try {
      result = await esbuild().build(buildOptions(plan));
    } catch (error) {
      throw buildError(plan, error);
    }
    return writeBundle(plan, result);
  };
  return Promise.all(
    entries.map((entry) => {
      const key = path.resolve(entry);
      let pending = byEntry.get(key);
      if (!pending) {
        pending = bundleOne(key).then((bundle) => {
          options.onBundle?.(bundle, key);
          return bundle;
        });
        byEntry.set(key, pending);
      }
      return pending;
    }),
  );
}

interface BundlePlan {
  readonly entryPath: string;
  readonly projectRoot: string;
  readonly directory: string;
  /** Where esbuild believes it writes: fixes the source map's relative paths whatever `outDir` is. */
  readonly virtualOutfile: string;
}

function planBundle(entry: string, options: BundleLambdaOptions): BundlePlan {
  const entryPath = path.resolve(entry);
  const projectRoot = findProjectRoot(entryPath);
  const defaultDirectory = path.join(projectRoot, '.build', 'lambdas', bundleName(entryPath));
  return {
    entryPath,
    projectRoot,
    directory: path.resolve(options.outDir ?? defaultDirectory),
    virtualOutfile: path.join(defaultDirectory, 'index.mjs'),
  };
}

/** `lambdas/order-service/handler.ts` → `order-service`; `handlers/audit.ts` → `handlers-audit`. */
function bundleName(entryPath: string): string {
  const base = path.basename(entryPath).replace(/\.[cm]?[jt]sx?$/, '');
  const folder = path.basename(path.dirname(entryPath));
  return base === 'handler' || base === 'index' ? folder : `${folder}-${base}`;
}

/**
 * The bundle's entry: a module that re-exports `handler` from the user's entry. The bundle then
 * exports `handler` whether the entry is an ES module or CommonJS (`exports.handler = …`, which
 * bundled on its own would export only `default`, and Lambda would find no `index.handler`).
 */
function entryModule(plan: BundlePlan): NonNullable<BuildOptions['stdin']> {
  const specifier = `./${toPosix(path.relative(plan.projectRoot, plan.entryPath))}`;
  return { contents: `export { handler } from ${JSON.stringify(specifier)};\n`, resolveDir: plan.projectRoot, sourcefile: 'lambda-entry.js', loader: 'js' };
}

function buildOptions(plan: BundlePlan): BuildOptions & { write: false; metafile: true } {
  return {
    absWorkingDir: plan.projectRoot,
    stdin: entryModule(plan),
    outfile: plan.virtualOutfile,
    write: false,
    metafile: true,
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: 'esm',
    // ESM builds of dependencies first: they tree-shake (the SDK ships both).
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'linked',
    // Stack traces (NODE_OPTIONS=--enable-source-maps) need the mappings only; sources content
    // would multiply the package size.
    sourcesContent: false,
    banner: { js: CREATE_REQUIRE_BANNER },
    logLevel: 'silent',
  };
}

/** The bundle on disk when its manifest says every input is unchanged; otherwise undefined. */
function currentBundle(plan: BundlePlan): LambdaBundle | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFileOf(plan.directory), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.version !== BUILD_OPTIONS_VERSION || manifest.esbuild !== esbuild().version) return undefined;
  if (manifest.entry !== toPosix(path.relative(plan.projectRoot, plan.entryPath))) return undefined;
  for (const [relative, recorded] of Object.entries(manifest.inputs)) {
    const file = path.join(plan.projectRoot, relative);
    let stats;
    try {
      stats = statSync(file);
    } catch {
      return undefined;
    }
    if (stats.size !== recorded.size) return undefined;
    // Same size and mtime: unchanged without reading it. Otherwise compare the content.
    if (stats.mtimeMs !== recorded.mtimeMs && sha256Of(readFileSync(file)) !== recorded.sha256) return undefined;
  }
  const file = path.join(plan.directory, 'index.mjs');
  const sourceMapFile = path.join(plan.directory, 'index.mjs.map');
  if (!existsSync(file) || !existsSync(sourceMapFile)) return undefined;
  const code = readFileSync(file);
  if (createHash('sha256').update(code).update(readFileSync(sourceMapFile)).digest('hex') !== manifest.sha256) return undefined;
  return { directory: plan.directory, file, sourceMapFile, sha256: manifest.sha256, bytes: code.byteLength, cached: true };
}

function writeBundle(plan: BundlePlan, result: BuildResult<BuildOptions & { write: false; metafile: true }>): LambdaBundle {
  const code = result.outputFiles.find((output) => output.path.endsWith('.mjs'))?.contents;
  const sourceMap = result.outputFiles.find((output) => output.path.endsWith('.mjs.map'))?.contents;
  if (!code || !sourceMap) throw new Error(`bundleLambda(${plan.entryPath}): esbuild produced no bundle`);
  mkdirSync(plan.directory, { recursive: true });
  const file = path.join(plan.directory, 'index.mjs');
  const sourceMapFile = path.join(plan.directory, 'index.mjs.map');
  writeIfChanged(file, code);
  writeIfChanged(sourceMapFile, sourceMap);
  const sha256 = createHash('sha256').update(code).update(sourceMap).digest('hex');
  // The manifest is written last: a crash before it leaves no claim that the bundle is current.
  const manifest: Manifest = {
    version: BUILD_OPTIONS_VERSION,
    esbuild: esbuild().version,
    entry: toPosix(path.relative(plan.projectRoot, plan.entryPath)),
    inputs: Object.fromEntries(
      Object.keys(result.metafile.inputs)
        // The entry module and virtual modules (e.g. `node:` built-ins) have no file.
        .filter((input) => !input.includes(':') && input !== 'lambda-entry.js')
        .sort()
        .map((input) => {
          const absolute = path.resolve(plan.projectRoot, input);
          const stats = statSync(absolute);
          return [toPosix(path.relative(plan.projectRoot, absolute)), { sha256: sha256Of(readFileSync(absolute)), size: stats.size, mtimeMs: stats.mtimeMs }];
        }),
    ),
    sha256,
    bytes: code.byteLength,
  };
  writeIfChanged(manifestFileOf(plan.directory), Buffer.from(JSON.stringify(manifest, null, 1)));
  return { directory: plan.directory, file, sourceMapFile, sha256, bytes: code.byteLength, cached: false };
}

function buildError(plan: BundlePlan, error: unknown): Error {
  const failure = error as Partial<BuildFailure> & Error;
  const entry = toPosix(path.relative(plan.projectRoot, plan.entryPath));
  // An ES module without `handler`: esbuild reports the re-export of the entry module.
  if ((failure.errors ?? []).some((message) => message.text.startsWith('No matching export') && message.text.includes('"handler"'))) {
    return new Error(`bundleLambda(${entry}): the module does not export handler; add \`export const handler = async (event) => { … }\``);
  }
  const details = (failure.errors ?? [])
    .map((message) => `${message.location ? `${message.location.file}:${message.location.line}: ` : ''}${message.text}`)
    .join('\n  ');
  return new Error(`bundleLambda(${entry}): esbuild failed${details ? `:\n  ${details}` : `: ${failure.message}`}`);
}

/** The nearest folder above `entryPath` that has a package.json (the project the handler belongs to). */
function findProjectRoot(entryPath: string): string {
  let folder = path.dirname(entryPath);
  for (;;) {
    if (existsSync(path.join(folder, 'package.json'))) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`bundleLambda(${entryPath}): no package.json above the entry`);
    folder = parent;
  }
}

/** esbuild, loaded on first use. Its version is part of the cache key: another esbuild may emit other bytes. */
function esbuild(): typeof import('esbuild') {
  return require('esbuild') as typeof import('esbuild');
}

function sha256Of(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/**
 * Replaces `file` atomically, and only when the content differs. The temporary file is written
 * beside the bundle folder, not in it: another process zipping or hashing the folder at that
 * moment (a Terraform asset) must never see it.
 */
function writeIfChanged(file: string, content: Uint8Array): void {
  if (existsSync(file) && Buffer.compare(readFileSync(file), content) === 0) return;
  const folder = path.dirname(file);
  const temporary = path.join(path.dirname(folder), `.${path.basename(folder)}-${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
