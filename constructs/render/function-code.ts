/**
 * A function's code for Terraform: the deterministic zip of its bundle as a cdktf asset. Same
 * source → same bytes and the same source_code_hash on every machine, so plans show no spurious
 * code changes.
 *
 * An app that bundled and zipped every function up front, in parallel (stacks/app.ts), hands the
 * zips to its constructs with {@link provideFunctionZips}; a construct then uses its zip as it is
 * instead of checking the bundle cache once more per environment (600 file checks per function).
 * Without them (a construct in a team's own stack), each function is bundled or found on first use.
 */
import path from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import type { Construct } from 'constructs';
import { bundleLambda } from '../../bundling/bundle-lambda';
import { zipBundle, type DeterministicZip } from '../../bundling/zip-bundle';

/** Zips provided for the constructs of an app, by its root construct, then by absolute entry path. */
const PROVIDED = new WeakMap<Construct, ReadonlyMap<string, DeterministicZip>>();

/** Makes `zips` (by entry) the code of every function rendered under `root` with that entry. */
export function provideFunctionZips(root: Construct, zips: ReadonlyMap<string, DeterministicZip>): void {
  PROVIDED.set(root, new Map([...zips].map(([entry, zip]) => [path.resolve(entry), zip])));
}

/** The `filename` and `source_code_hash` of the function whose handler is `entry`. */
export function functionCode(scope: Construct, id: string, entry: string): { filename: string; sourceCodeHash: string } {
  const zip = PROVIDED.get(scope.node.root)?.get(path.resolve(entry)) ?? zipBundle(bundleLambda(entry));
  // The zip's own hash names the asset folder: cdktf would otherwise read and hash the file again.
  const asset = new TerraformAsset(scope, `${id}-code`, { path: zip.file, type: AssetType.FILE, assetHash: zip.sha256.slice(0, 32).toUpperCase() });
  // Base64 SHA-256 of the zip, the form Lambda reports as CodeSha256.
  return { filename: asset.path, sourceCodeHash: zip.base64Sha256 };
}
