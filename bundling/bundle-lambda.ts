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
const BUILD_OPTIONS_VERSION = 4;

interface Manifest {
  readonly version: number;
  readonly esbuild: string;
  /** The entry, relative to the project root. */
  readonly entry: string;
  /** Input file (relative to the project root) → SHA-256 of its content, size and mtime when hashed. */
  readonly inputs: Readonly<Record<string, { readonly sha256: string; readonly size: number; readonly mtimeMs: number }>>;
  readonly sha256: string;
  readonly bytes: number;
  /**
   * Size and mtime of `index.mjs` and `index.mjs.map` when written: while both match, the bundle is
   * the one hashed (re-reading and re-hashing ~1 MB per function per check dominated a warm synth).
   */
  readonly outputs?: Readonly<Record<string, { readonly size: number; readonly mtimeMs: number }>>;
}

/** The files of a bundle folder, in the order {@link LambdaBundle.sha256} hashes them. */
const OUTPUT_FILES = ['index.mjs', 'index.mjs.map'] as const;

/** Bundles `entry` (e.g. `lambdas/order-service/handler.ts`) into one ESM file, reusing a current bundle. */
export function bundleLambda(entry: string, options: BundleLambdaOptions = {}): LambdaBundle {
  const plan = planBundle(entry, options);
  const current = currentBundle(plan);
  if (current) return current;
  let result: BuildResult<BuildOptions & { write: false; metafile: true }>;
  try {
    result = esbuild().buildSync(buildOptions([plan]));
  } catch (error) {
    throw buildError([plan], error);
  }
  return writeBundle(plan, result);
}

/**
 * Bundles several entries with one esbuild build per project (what the functions share — the
 * SDK, Powertools — is parsed once), reusing every bundle that is current; the same entry twice is
 * bundled once. Each output is byte-identical to {@link bundleLambda}'s. Resolves with one bundle
 * per entry, in order.
 */
export async function bundleLambdas(entries: readonly string[]): Promise<LambdaBundle[]> {
  const plans = new Map<string, BundlePlan>();
  for (const entry of entries) {
    const plan = planBundle(entry, {});
    plans.set(plan.entryPath, plan);
  }
  const bundles = new Map<string, LambdaBundle>();
  const stale: BundlePlan[] = [];
  // The functions share most inputs (the SDK, Powertools): each file is looked at once for all.
  const statOf = memoized(statFile);
  for (const plan of plans.values()) {
    const current = currentBundle(plan, statOf);
    if (current) bundles.set(plan.entryPath, current);
    else stale.push(plan);
  }
  const byProject = groupBy(stale, (plan) => plan.projectRoot);
  await Promise.all(
    [...byProject.values()].map(async (group) => {
      checkDistinctNames(group);
      let result: BuildResult<BuildOptions & { write: false; metafile: true }>;
      try {
        result = await esbuild().build(buildOptions(group));
      } catch (error) {
        throw buildError(group, error);
      }
      for (const plan of group) bundles.set(plan.entryPath, writeBundle(plan, result));
    }),
  );
  return entries.map((entry) => bundles.get(path.resolve(entry))!);
}

interface BundlePlan {
  readonly entryPath: string;
  readonly projectRoot: string;
  /** The bundle's name: its default folder under `.build/lambdas/`. */
  readonly name: string;
  readonly directory: string;
}

function planBundle(entry: string, options: BundleLambdaOptions): BundlePlan {
  const entryPath = path.resolve(entry);
  const projectRoot = findProjectRoot(entryPath);
  const name = bundleName(entryPath);
  return { entryPath, projectRoot, name, directory: path.resolve(options.outDir ?? path.join(lambdasFolder(projectRoot), name)) };
}

function lambdasFolder(projectRoot: string): string {
  return path.join(projectRoot, '.build', 'lambdas');
}

/** `lambdas/order-service/handler.ts` → `order-service`; `handlers/audit.ts` → `handlers-audit`. */
function bundleName(entryPath: string): string {
  const base = path.basename(entryPath).replace(/\.[cm]?[jt]sx?$/, '');
  const folder = path.basename(path.dirname(entryPath));
  return base === 'handler' || base === 'index' ? folder : `${folder}-${base}`;
}

/** Two entries of one build may not share a name: their bundles would overwrite each other. */
function checkDistinctNames(plans: readonly BundlePlan[]): void {
  const byName = groupBy(plans, (plan) => plan.name);
  for (const [name, same] of byName) {
    if (same.length > 1) {
      throw new Error(`bundleLambdas: ${same.map((plan) => plan.entryPath).join(' and ')} would both bundle to .build/lambdas/${name}; rename one of the files or folders`);
    }
  }
}

/**
 * The bundle's entry: a module, written beside the bundles, that re-exports `handler` from the
 * user's entry. The bundle then exports `handler` whether the entry is an ES module or CommonJS
 * (`exports.handler = …`, which bundled on its own would export only `default`, and Lambda would
 * find no `index.handler`).
 */
function entryModule(plan: BundlePlan): string {
  const file = path.join(plan.projectRoot, '.build', 'lambda-entries', `${plan.name}.mjs`);
  const specifier = toPosix(path.relative(path.dirname(file), plan.entryPath));
  mkdirSync(path.dirname(file), { recursive: true });
  writeIfChanged(file, Buffer.from(`export { handler } from ${JSON.stringify(specifier)};\n`));
  return file;
}

/**
 * One build of `plans` (one project). Each output is written (in memory) to the plan's default
 * folder, whatever `outDir` the caller picked: the source map's relative paths, and so the bytes,
 * are the same wherever the bundle is finally written.
 */
function buildOptions(plans: readonly BundlePlan[]): BuildOptions & { write: false; metafile: true } {
  const projectRoot = plans[0]!.projectRoot;
  return {
    absWorkingDir: projectRoot,
    entryPoints: plans.map((plan) => ({ in: entryModule(plan), out: `${plan.name}/index` })),
    outdir: lambdasFolder(projectRoot),
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
    bundle: true,
    splitting: false,
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

type StatOf = (file: string) => { readonly size: number; readonly mtimeMs: number } | undefined;

function statFile(file: string): ReturnType<StatOf> {
  return statSync(file, { throwIfNoEntry: false });
}

function memoized(statOf: StatOf): StatOf {
  const seen = new Map<string, ReturnType<StatOf>>();
  return (file) => {
    if (!seen.has(file)) seen.set(file, statOf(file));
    return seen.get(file);
  };
}

/** The bundle on disk when its manifest says every input is unchanged; otherwise undefined. */
function currentBundle(plan: BundlePlan, statOf: StatOf = statFile): LambdaBundle | undefined {
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
    const stats = statOf(file);
    if (stats === undefined) return undefined;
    if (stats.size !== recorded.size) return undefined;
    // Same size and mtime: unchanged without reading it. Otherwise compare the content.
    if (stats.mtimeMs !== recorded.mtimeMs && fileFingerprint(file).sha256 !== recorded.sha256) return undefined;
  }
  const file = path.join(plan.directory, 'index.mjs');
  const sourceMapFile = path.join(plan.directory, 'index.mjs.map');
  if (!outputsUnchanged(plan.directory, manifest)) {
    if (!existsSync(file) || !existsSync(sourceMapFile)) return undefined;
    if (createHash('sha256').update(readFileSync(file)).update(readFileSync(sourceMapFile)).digest('hex') !== manifest.sha256) return undefined;
    // The same bytes (touched, or a manifest from before outputs were recorded): record them, so
    // the next check need not hash again.
    writeIfChanged(manifestFileOf(plan.directory), Buffer.from(JSON.stringify({ ...manifest, outputs: outputStats(plan.directory) }, null, 1)));
  }
  return { directory: plan.directory, file, sourceMapFile, sha256: manifest.sha256, bytes: manifest.bytes, cached: true };
}

function outputStats(directory: string): NonNullable<Manifest['outputs']> {
  return Object.fromEntries(
    OUTPUT_FILES.map((name) => {
      const stats = statSync(path.join(directory, name));
      return [name, { size: stats.size, mtimeMs: stats.mtimeMs }];
    }),
  );
}

/** Whether the bundle's files still have the size and mtime the manifest recorded (then their hash is the recorded one). */
function outputsUnchanged(directory: string, manifest: Manifest): boolean {
  return OUTPUT_FILES.every((name) => {
    const recorded = manifest.outputs?.[name];
    const stats = statSync(path.join(directory, name), { throwIfNoEntry: false });
    return recorded !== undefined && stats !== undefined && stats.size === recorded.size && stats.mtimeMs === recorded.mtimeMs;
  });
}

function writeBundle(plan: BundlePlan, result: BuildResult<BuildOptions & { write: false; metafile: true }>): LambdaBundle {
  const virtualFile = path.join(lambdasFolder(plan.projectRoot), plan.name, 'index.mjs');
  const code = result.outputFiles.find((output) => output.path === virtualFile)?.contents;
  const sourceMap = result.outputFiles.find((output) => output.path === `${virtualFile}.map`)?.contents;
  const output = result.metafile.outputs[toPosix(path.relative(plan.projectRoot, virtualFile))];
  if (!code || !sourceMap || !output) throw new Error(`bundleLambda(${plan.entryPath}): esbuild produced no bundle`);
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
      Object.keys(output.inputs)
        // Virtual modules (e.g. `node:` built-ins) have no file.
        .filter((input) => !input.includes(':'))
        .sort()
        .map((input) => [input, fileFingerprint(path.resolve(plan.projectRoot, input))]),
    ),
    sha256,
    bytes: code.byteLength,
    outputs: outputStats(plan.directory),
  };
  writeIfChanged(manifestFileOf(plan.directory), Buffer.from(JSON.stringify(manifest, null, 1)));
  return { directory: plan.directory, file, sourceMapFile, sha256, bytes: code.byteLength, cached: false };
}

/**
 * A file's size, mtime and content hash, computed once per process: the functions of a topology
 * share most of their inputs (the SDK, Powertools), so each is read and hashed once.
 */
const fingerprints = new Map<string, { sha256: string; size: number; mtimeMs: number }>();
function fileFingerprint(file: string): { sha256: string; size: number; mtimeMs: number } {
  const stats = statSync(file);
  const known = fingerprints.get(file);
  if (known && known.size === stats.size && known.mtimeMs === stats.mtimeMs) return known;
  const fingerprint = { sha256: sha256Of(readFileSync(file)), size: stats.size, mtimeMs: stats.mtimeMs };
  fingerprints.set(file, fingerprint);
  return fingerprint;
}

function buildError(plans: readonly BundlePlan[], error: unknown): Error {
  const failure = error as Partial<BuildFailure> & Error;
  const messages = failure.errors ?? [];
  // Name the entry a message is about (its file, or the entry module that re-exports it).
  const planOf = (file: string | undefined) =>
    plans.find((plan) => file !== undefined && (path.resolve(plan.projectRoot, file) === plan.entryPath || file.endsWith(`lambda-entries/${plan.name}.mjs`))) ??
    (plans.length === 1 ? plans[0] : undefined);
  const entryOf = (plan: BundlePlan | undefined) => (plan ? toPosix(path.relative(plan.projectRoot, plan.entryPath)) : plans.map((p) => toPosix(path.relative(p.projectRoot, p.entryPath))).join(', '));
  // An ES module without `handler`: esbuild reports the entry module's re-export.
  const noHandler = messages.find((message) => message.text.startsWith('No matching export') && message.text.includes('"handler"'));
  if (noHandler) {
    return new Error(`bundleLambda(${entryOf(planOf(noHandler.location?.file))}): the module does not export handler; add \`export const handler = async (event) => { … }\``);
  }
  const details = messages.map((message) => `${message.location ? `${message.location.file}:${message.location.line}: ` : ''}${message.text}`).join('\n  ');
  return new Error(`bundleLambda(${entryOf(planOf(messages[0]?.location?.file))}): esbuild failed${details ? `:\n  ${details}` : `: ${failure.message}`}`);
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

/** `Map.groupBy` (Node 21+; the package also runs on 20). */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
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
