/** bundleLambda and the deterministic zip: reproducible, self-contained ESM bundles with working source maps. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { bundleLambda } from '../../constructs/bundling/bundle-lambda';
import { zipDirectory } from '../../constructs/bundling/zip-bundle';

const projectRoot = path.resolve(__dirname, '..', '..');
const entry = (service: string) => path.join(projectRoot, 'lambdas', service, 'handler.ts');
const temporaryFolders: string[] = [];

function temporaryFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bundle-lambda-test-'));
  temporaryFolders.push(folder);
  return folder;
}

afterAll(() => {
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

test('bundling twice into two folders gives byte-identical files and the same sha256', () => {
  const first = bundleLambda(entry('order-service'), { outDir: path.join(temporaryFolder(), 'a') });
  const second = bundleLambda(entry('order-service'), { outDir: path.join(temporaryFolder(), 'deeper', 'b') });

  expect(second.directory).not.toBe(first.directory);
  expect(readFileSync(second.file).equals(readFileSync(first.file))).toBe(true);
  expect(readFileSync(second.sourceMapFile).equals(readFileSync(first.sourceMapFile))).toBe(true);
  expect(second.sha256).toBe(first.sha256);
  expect(second.bytes).toBe(first.bytes);
  const expectedHash = createHash('sha256').update(readFileSync(first.file)).update(readFileSync(first.sourceMapFile)).digest('hex');
  expect(first.sha256).toBe(expectedHash);
  expect(first.bytes).toBe(statSync(first.file).size);
});

test('writes index.mjs and a linked source map with relative paths only, by default under .build/lambdas/<service>', () => {
  const bundle = bundleLambda(entry('inventory-service'));

  expect(bundle.directory).toBe(path.join(projectRoot, '.build', 'lambdas', 'inventory-service'));
  expect(path.basename(bundle.file)).toBe('index.mjs');
  const code = readFileSync(bundle.file, 'utf8');
  expect(code.startsWith("import{createRequire as __bundleCreateRequire}from'node:module';")).toBe(true);
  expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
  const sourceMap = JSON.parse(readFileSync(bundle.sourceMapFile, 'utf8')) as { version: number; sources: string[]; sourcesContent?: unknown };
  expect(sourceMap.version).toBe(3);
  expect(sourceMap.sourcesContent).toBeUndefined();
  expect(sourceMap.sources).toContain('../../../lambdas/inventory-service/handler.ts');
  expect(sourceMap.sources.some((source) => source.includes('node_modules/@aws-sdk/client-sqs/'))).toBe(true); // the SDK is bundled
  for (const text of [code, readFileSync(bundle.sourceMapFile, 'utf8')]) {
    expect(text).not.toContain(projectRoot);
    expect(text).not.toContain(os.homedir());
  }
});

test('the bundle runs as an ES module exporting handler, and init errors map back to the TypeScript source', () => {
  const notification = bundleLambda(entry('notification-service'));
  const order = bundleLambda(entry('order-service'));
  const load = (file: string, env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });

  const loaded = load(notification.file, {
    ENVIRONMENT: 'development',
    POWERTOOLS_SERVICE_NAME: 'notification-service',
    IDEMPOTENCY_TABLE_NAME: 'development-idempotency',
    IDEMPOTENCY_EXPIRY_SECONDS: '432000',
  });
  expect(loaded.stderr).toBe('');
  expect(loaded.stdout.trim()).toBe('function');

  // order-service needs ORDER_QUEUE_URL: a missing one fails the init, and the stack names our source file.
  const failed = load(order.file, { ENVIRONMENT: 'development' });
  expect(failed.status).not.toBe(0);
  expect(failed.stderr).toContain('environment variable ORDER_QUEUE_URL is not set');
  expect(failed.stderr).toMatch(/lambdas\/shared\/env\.ts:\d+/);
});

test('caches by entry and output folder within a process: the second call does not rebuild', () => {
  const outDir = path.join(temporaryFolder(), 'cached');
  const first = bundleLambda(entry('shipping-service'), { outDir });
  const writtenAt = statSync(first.file).mtimeMs;

  const second = bundleLambda(entry('shipping-service'), { outDir });

  expect(second).toBe(first);
  expect(statSync(second.file).mtimeMs).toBe(writtenAt);
});

test('zips a bundle deterministically: same bytes whatever the files\' timestamps, entries sorted and readable', () => {
  const bundle = bundleLambda(entry('notification-service'), { outDir: path.join(temporaryFolder(), 'zip-me') });
  const first = zipDirectory(bundle.directory, path.join(temporaryFolder(), 'first.zip'));
  utimesSync(bundle.file, new Date('2031-05-06T07:08:09Z'), new Date('2031-05-06T07:08:09Z'));

  const second = zipDirectory(bundle.directory, path.join(temporaryFolder(), 'second.zip'));

  expect(second.sha256).toBe(first.sha256);
  expect(second.bytes).toBe(first.bytes);
  expect(first.base64Sha256).toBe(Buffer.from(first.sha256, 'hex').toString('base64'));
  const entries = unzipSync(readFileSync(second.file));
  expect(Object.keys(entries)).toEqual(['index.mjs', 'index.mjs.map']);
  expect(Buffer.from(entries['index.mjs']!).equals(readFileSync(bundle.file))).toBe(true);
});

test('a handler that does not compile fails with the entry and esbuild\'s message', () => {
  const project = temporaryFolder();
  writeFileSync(path.join(project, 'package.json'), '{"name":"broken","private":true}');
  const brokenEntry = path.join(project, 'broken-service', 'handler.ts');
  mkdirSync(path.dirname(brokenEntry));
  writeFileSync(brokenEntry, 'export const handler = async () => {\n  return import("./missing-module");\n');

  expect(() => bundleLambda(brokenEntry)).toThrow(/bundleLambda\(broken-service\/handler\.ts\): esbuild failed:\n {2}broken-service\/handler\.ts:\d+: /);
});
