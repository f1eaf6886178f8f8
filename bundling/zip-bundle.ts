/**
 * A deterministic zip of a bundle folder: same files → byte-identical zip and hash on any machine.
 *
 * Why fflate: it zips synchronously (cdktf constructs are synchronous) in pure JavaScript.
 * node:zlib would do the deflating, but Node's bundled zlib picks different match-finding code
 * per CPU (SIMD paths), so the compressed bytes — and the hash — can differ between an x86 CI
 * runner and an arm64 laptop. fflate is small, dependency-free and widely used.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Zippable } from 'fflate';

/** A written zip file. */
export interface DeterministicZip {
  /** Path of the zip. */
  readonly file: string;
  /** Size of the zip in bytes. */
  readonly bytes: number;
  /** SHA-256 of the zip, hex. */
  readonly sha256: string;
  /** SHA-256 of the zip, base64 (what Terraform's `source_code_hash` and Lambda's `CodeSha256` use). */
  readonly base64Sha256: string;
}

/**
 * Every entry gets this modification time. DOS zip times are local wall-clock fields and fflate
 * reads them with local-time getters, so the date is built from local fields: the stored value is
 * 1980-01-01 00:00 (the earliest zip date) in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Unix mode `-rw-r--r--` in the external attributes (Lambda needs the files readable by others). */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;
/** "Made by" Unix, so the attributes above are honoured. */
const UNIX_OS = 3;

/**
 * Zips the regular files directly in `directory` (sorted by name, fixed mtime, fixed mode,
 * deflate level {@link DEFLATE_LEVEL}) into `zipFile`.
 * @param zipFile @default `<directory>.zip` (beside the folder, so an ARCHIVE asset of the folder does not contain it)
 */
export function zipDirectory(directory: string, zipFile: string = `${path.resolve(directory)}.zip`): DeterministicZip {
  // Loaded on first use: loading the constructs must not need it.
  const { zipSync } = require('fflate') as typeof import('fflate');
  return writeZip(zipFile, zipSync(zipEntries(directory) as Zippable));
}

/**
 * A worker thread that zips with fflate's `zipSync` (the same bytes as {@link zipDirectory}): the
 * main thread reads the files and writes the zip; the worker only deflates. fflate is resolved by
 * the main thread, so the worker loads the very same copy.
 */
const ZIP_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { zipSync } = require(workerData.fflate);
parentPort.on('message', ({ id, entries }) => {
  const zipped = zipSync(Object.fromEntries(entries.map(([name, data, options]) => [name, [data, { ...options, mtime: new Date(options.mtime) }]])));
  parentPort.postMessage({ id, zipped }, [zipped.buffer]);
});`;

/** Zips `directories` on at most `threads` worker threads (a pool: not one thread per file). */
async function zipInWorkers(directories: readonly string[], threads: number): Promise<DeterministicZip[]> {
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const workers = Array.from({ length: threads }, () => new Worker(ZIP_WORKER, { eval: true, workerData: { fflate: require.resolve('fflate') } }));
  const results: DeterministicZip[] = [];
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (let index = next++; index < directories.length; index = next++) {
          const directory = directories[index]!;
          const entries = Object.entries(zipEntries(directory)).map(([name, [data, options]]) => [name, data, { ...options, mtime: FIXED_MTIME.getTime() }]);
          const zipped = await new Promise<Uint8Array>((resolve, reject) => {
            worker.once('message', (message: { zipped: Uint8Array }) => resolve(message.zipped));
            worker.once('error', reject);
            worker.postMessage({ id: index, entries });
          });
          worker.removeAllListeners('error');
          results[index] = writeZip(`${path.resolve(directory)}.zip`, zipped);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

/**
 * zlib's default level: level 9 took 40 % longer on a bundle and its source map (128 → 92 ms with
 * fflate, 48 of them in a cold synth) for a zip 0.5 % smaller.
 */
const DEFLATE_LEVEL = 6;

/** Bump when the zip's bytes change for the same files (level, attributes): cached zips are then made anew. */
const ZIP_FORMAT = 2;

type ZipEntry = [Uint8Array, { mtime: Date; os: number; attrs: number; level: typeof DEFLATE_LEVEL }];

function zipEntries(directory: string): Record<string, ZipEntry> {
  const names = readdirSync(directory)
    .filter((name) => statSync(path.join(directory, name)).isFile())
    .sort();
  const entries: Record<string, ZipEntry> = {};
  for (const name of names) {
    entries[name] = [readFileSync(path.join(directory, name)), { mtime: FIXED_MTIME, os: UNIX_OS, attrs: FILE_ATTRIBUTES, level: DEFLATE_LEVEL }];
  }
  return entries;
}

function writeZip(zipFile: string, zipped: Uint8Array): DeterministicZip {
  replaceFile(zipFile, zipped);
  const digest = createHash('sha256').update(zipped).digest();
  return { file: zipFile, bytes: zipped.byteLength, sha256: digest.toString('hex'), base64Sha256: digest.toString('base64') };
}

type BundleIdentity = { readonly directory: string; readonly sha256: string };

/**
 * The deterministic zip of a bundle folder, `<folder>.zip`, made once per bundle content: a
 * sidecar `<folder>.zip.json` records which bundle it holds, so three environments, the next
 * `synth` and a parallel process all reuse it while the bundle is unchanged.
 */
export function zipBundle(bundle: BundleIdentity): DeterministicZip {
  return currentZip(bundle) ?? recordZip(bundle, zipDirectory(bundle.directory));
}

/**
 * {@link zipBundle} for several bundles (the same bundle listed twice is zipped once), the stale
 * ones zipped in parallel on a pool of worker threads, one per CPU.
 */
export async function zipBundles(bundles: readonly BundleIdentity[]): Promise<DeterministicZip[]> {
  const unique = [...new Map(bundles.map((bundle) => [path.resolve(bundle.directory), bundle])).values()];
  const zips = new Map<string, DeterministicZip>();
  const stale: BundleIdentity[] = [];
  for (const bundle of unique) {
    const current = currentZip(bundle);
    if (current) zips.set(path.resolve(bundle.directory), current);
    else stale.push(bundle);
  }
  const { availableParallelism } = require('node:os') as typeof import('node:os');
  const threads = Math.min(availableParallelism(), stale.length);
  // One stale bundle is zipped right here: a worker's start-up would cost more than it saves.
  const made = threads > 1 ? await zipInWorkers(stale.map((bundle) => bundle.directory), threads) : stale.map((bundle) => zipDirectory(bundle.directory));
  stale.forEach((bundle, index) => zips.set(path.resolve(bundle.directory), recordZip(bundle, made[index]!)));
  return bundles.map((bundle) => zips.get(path.resolve(bundle.directory))!);
}

function currentZip(bundle: BundleIdentity): DeterministicZip | undefined {
  const zipFile = `${path.resolve(bundle.directory)}.zip`;
  try {
    const recorded = JSON.parse(readFileSync(`${zipFile}.json`, 'utf8')) as { format?: number; bundleSha256: string; zip: DeterministicZip };
    if (recorded.format === ZIP_FORMAT && recorded.bundleSha256 === bundle.sha256 && existsSync(zipFile) && statSync(zipFile).size === recorded.zip.bytes) return { ...recorded.zip, file: zipFile };
  } catch {
    // No sidecar yet (or a broken one): zip anew.
  }
  return undefined;
}

function recordZip(bundle: BundleIdentity, zip: DeterministicZip): DeterministicZip {
  replaceFile(`${zip.file}.json`, JSON.stringify({ format: ZIP_FORMAT, bundleSha256: bundle.sha256, zip }));
  return zip;
}

/** Write then rename: parallel synths (test workers) may read a zip or its sidecar while another rewrites it. */
function replaceFile(file: string, content: Uint8Array | string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
