/**
 * Bundling a TypeScript Lambda handler with esbuild: the one function the cdktf construct (at
 * synth), the CloudFormation renderer and the local runner all use (DESIGN §2). No cdktf import.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync, type BuildFailure } from 'esbuild';

/** Options of {@link bundleLambda}. */
export interface BundleLambdaOptions {
  /**
   * Folder to write `index.mjs` and `index.mjs.map` to. Use a folder per function: a Terraform
   * ARCHIVE asset zips the whole folder.
   * @default `<projectRoot>/.build/lambdas/<service-dir-name>` (`.build/` is git-ignored)
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
}

/** Runtime the bundle targets (the functions run on `nodejs24.x`). */
export const BUNDLE_TARGET = 'node24';

/**
 * esbuild turns `require()` calls left in CommonJS dependencies into a shim that needs a real
 * `require`; ES modules have none, so the bundle creates one (the usual banner for ESM bundles).
 */
const CREATE_REQUIRE_BANNER = "import{createRequire as __bundleCreateRequire}from'node:module';const require=__bundleCreateRequire(import.meta.url);";

/** Bundles already built by this process, by entry and output folder. */
const builtBundles = new Map<string, LambdaBundle>();

/**
 * Bundles the handler module `entry` (e.g. `lambdas/order-service/handler.ts`) into one ESM file.
 *
 * - Everything is bundled, the AWS SDK included: the SDK in the Lambda runtime changes version
 *   without notice, while a bundled one is the version we tested; a single tree-shaken file also
 *   loads faster than resolving the runtime's node_modules, and local mode runs the same artefact.
 * - Reproducible: the same sources and dependencies give byte-identical files and the same
 *   `sha256` on any machine and in any `outDir` (no timestamps; source map paths are relative to
 *   the default output folder, not to `outDir`, and carry no absolute paths).
 * - Cached per process by entry and `outDir`, so synthesizing three environments bundles each
 *   function once. Files are replaced atomically and only when their content changed, so
 *   concurrent processes bundling the same entry never read a half-written file.
 *
 * Synchronous (`esbuild.buildSync`) because cdktf constructs are built synchronously.
 * @throws Error naming the entry and esbuild's messages when the build fails
 */
export function bundleLambda(entry: string, options: BundleLambdaOptions = {}): LambdaBundle {
  const entryPath = path.resolve(entry);
  const projectRoot = findProjectRoot(entryPath);
  const defaultDirectory = path.join(projectRoot, '.build', 'lambdas', path.basename(path.dirname(entryPath)));
  const directory = path.resolve(options.outDir ?? defaultDirectory);
  const cacheKey = `${entryPath}\u0000${directory}`;
  const cached = builtBundles.get(cacheKey);
  if (cached && existsSync(cached.file) && existsSync(cached.sourceMapFile)) return cached;

  const { code, sourceMap } = build(entryPath, projectRoot, path.join(defaultDirectory, 'index.mjs'));
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, 'index.mjs');
  const sourceMapFile = path.join(directory, 'index.mjs.map');
  writeIfChanged(file, code);
  writeIfChanged(sourceMapFile, sourceMap);

  const bundle: LambdaBundle = {
    directory,
    file,
    sourceMapFile,
    sha256: createHash('sha256').update(code).update(sourceMap).digest('hex'),
    bytes: code.byteLength,
  };
  builtBundles.set(cacheKey, bundle);
  return bundle;
}

function build(entryPath: string, projectRoot: string, virtualOutfile: string): { code: Uint8Array; sourceMap: Uint8Array } {
  let outputFiles;
  try {
    ({ outputFiles } = buildSync({
      absWorkingDir: projectRoot,
      entryPoints: [entryPath],
      // Not written there: esbuild computes the source map's relative paths from this location,
      // which keeps the output identical whatever outDir the caller picks.
      outfile: virtualOutfile,
      write: false,
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
    }));
  } catch (error) {
    const failure = error as Partial<BuildFailure> & Error;
    const details = (failure.errors ?? [])
      .map((message) => `${message.location ? `${message.location.file}:${message.location.line}: ` : ''}${message.text}`)
      .join('\n  ');
    throw new Error(`bundleLambda(${path.relative(projectRoot, entryPath)}): esbuild failed${details ? `:\n  ${details}` : `: ${failure.message}`}`);
  }
  const code = outputFiles.find((output) => output.path.endsWith('.mjs'));
  const sourceMap = outputFiles.find((output) => output.path.endsWith('.mjs.map'));
  if (!code || !sourceMap) throw new Error(`bundleLambda(${entryPath}): esbuild produced no bundle`);
  return { code: code.contents, sourceMap: sourceMap.contents };
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
