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
 * deflate level 9) into `zipFile`.
 * @param zipFile @default `<directory>.zip` (beside the folder, so an ARCHIVE asset of the folder does not contain it)
 */
export function zipDirectory(directory: string, zipFile: string = `${path.resolve(directory)}.zip`): DeterministicZip {
  // Loaded on first use: loading the constructs must not need it.
  const { zipSync } = require('fflate') as typeof import('fflate');
  return writeZip(zipFile, zipSync(zipEntries(directory)));
}

/** {@link zipDirectory} off the main thread (fflate deflates in a worker): the same bytes. */
export function zipDirectoryAsync(directory: string, zipFile: string = `${path.resolve(directory)}.zip`): Promise<DeterministicZip> {
  const { zip } = require('fflate') as typeof import('fflate');
  return new Promise((resolve, reject) => {
    zip(zipEntries(directory), (error, zipped) => {
      if (error) reject(error);
      else resolve(writeZip(zipFile, zipped));
    });
  });
}

function zipEntries(directory: string): Zippable {
  const names = readdirSync(directory)
    .filter((name) => statSync(path.join(directory, name)).isFile())
    .sort();
  const entries: Zippable = {};
  for (const name of names) {
    entries[name] = [readFileSync(path.join(directory, name)), { mtime: FIXED_MTIME, os: UNIX_OS, attrs: FILE_ATTRIBUTES, level: 9 }];
  }
  return entries;
}

function writeZip(zipFile: string, zipped: Uint8Array): DeterministicZip {
  // Write then rename: parallel synths (test workers) may read the zip while another rewrites it.
  const temporary = `${zipFile}.${process.pid}.tmp`;
  writeFileSync(temporary, zipped);
  renameSync(temporary, zipFile);
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

/** {@link zipBundle} for several bundles, zipped in parallel worker threads. */
export async function zipBundles(bundles: readonly BundleIdentity[]): Promise<DeterministicZip[]> {
  return Promise.all(bundles.map(async (bundle) => currentZip(bundle) ?? recordZip(bundle, await zipDirectoryAsync(bundle.directory))));
}

function currentZip(bundle: BundleIdentity): DeterministicZip | undefined {
  const zipFile = `${path.resolve(bundle.directory)}.zip`;
  try {
    const recorded = JSON.parse(readFileSync(`${zipFile}.json`, 'utf8')) as { bundleSha256: string; zip: DeterministicZip };
    if (recorded.bundleSha256 === bundle.sha256 && existsSync(zipFile) && statSync(zipFile).size === recorded.zip.bytes) return { ...recorded.zip, file: zipFile };
  } catch {
    // No sidecar yet (or a broken one): zip anew.
  }
  return undefined;
}

function recordZip(bundle: BundleIdentity, zip: DeterministicZip): DeterministicZip {
  const sidecar = `${zip.file}.json`;
  const temporary = `${sidecar}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ bundleSha256: bundle.sha256, zip }));
  renameSync(temporary, sidecar);
  return zip;
}
