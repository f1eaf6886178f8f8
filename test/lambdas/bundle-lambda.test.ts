/** bundleLambda and the deterministic zip: reproducible, self-contained ESM bundles with working source maps, cached on disk by content. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { bundleLambda, bundleLambdas } from '../../bundling/bundle-lambda';
import { zipBundles, zipDirectory } from '../../bundling/zip-bundle';

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

test('reuses a current bundle across processes, and rebuilds when any input changes', () => {
  const project = temporaryFolder();
  writeFileSync(path.join(project, 'package.json'), '{"name":"cached","private":true}');
  const serviceEntry = path.join(project, 'worker', 'handler.ts');
  mkdirSync(path.dirname(serviceEntry));
  writeFileSync(path.join(project, 'worker', 'greeting.ts'), 'export const greeting = "hello";\n');
  writeFileSync(serviceEntry, 'import { greeting } from "./greeting";\nexport const handler = async () => greeting;\n');
  const first = bundleLambda(serviceEntry);
  expect(first.cached).toBe(false);
  const writtenAt = statSync(first.file).mtimeMs;

  // Another process (a second `synth`) finds the bundle current and does not run esbuild.
  const other = spawnSync(process.execPath, ['--import', 'tsx', '-e', `const { bundleLambda } = require(${JSON.stringify(path.join(projectRoot, 'bundling', 'bundle-lambda.ts'))}); console.log(JSON.stringify(bundleLambda(${JSON.stringify(serviceEntry)})));`], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(other.stderr).toBe('');
  expect(JSON.parse(other.stdout)).toMatchObject({ cached: true, sha256: first.sha256 });
  expect(statSync(first.file).mtimeMs).toBe(writtenAt);

  // A touched but unchanged input is still current; a changed one (not the entry) rebuilds.
  utimesSync(path.join(project, 'worker', 'greeting.ts'), new Date(), new Date(Date.now() + 5_000));
  expect(bundleLambda(serviceEntry)).toMatchObject({ cached: true, sha256: first.sha256 });
  writeFileSync(path.join(project, 'worker', 'greeting.ts'), 'export const greeting = "bonjour";\n');
  const rebuilt = bundleLambda(serviceEntry);
  expect(rebuilt.cached).toBe(false);
  expect(rebuilt.sha256).not.toBe(first.sha256);
  expect(readFileSync(rebuilt.file, 'utf8')).toContain('bonjour');

  // The bundle itself is trusted by size and mtime; touched, it is hashed again: the same bytes are
  // still current, edited bytes are rebuilt.
  utimesSync(rebuilt.file, new Date(), new Date(Date.now() + 5_000));
  expect(bundleLambda(serviceEntry)).toMatchObject({ cached: true, sha256: rebuilt.sha256 });
  writeFileSync(rebuilt.file, readFileSync(rebuilt.file, 'utf8').replace('bonjour', 'BONJOUR'));
  expect(bundleLambda(serviceEntry)).toMatchObject({ cached: false, sha256: rebuilt.sha256 });
  expect(readFileSync(rebuilt.file, 'utf8')).toContain('bonjour');
});

test('bundles several functions in one build, each entry once, each exactly as a build of it alone', async () => {
  const project = temporaryFolder();
  writeFileSync(path.join(project, 'package.json'), '{"name":"several","private":true}');
  writeFileSync(path.join(project, 'shared.ts'), 'export const shared = (name: string) => `hello ${name}`;\n');
  const entries = ['alpha', 'beta'].map((name) => {
    const file = path.join(project, name, 'handler.ts');
    mkdirSync(path.dirname(file));
    writeFileSync(file, `import { shared } from '../shared';\nexport const handler = async () => shared(${JSON.stringify(name)});\n`);
    return file;
  });
  const bundles = await bundleLambdas([entries[0]!, entries[1]!, entries[0]!]);
  expect(bundles.map((bundle) => path.relative(project, bundle.directory))).toEqual([path.join('.build', 'lambdas', 'alpha'), path.join('.build', 'lambdas', 'beta'), path.join('.build', 'lambdas', 'alpha')]);
  expect(bundles.map((bundle) => bundle.cached)).toEqual([false, false, false]);
  expect(bundles[0]).toBe(bundles[2]);
  const alone = bundleLambda(entries[1]!, { outDir: path.join(temporaryFolder(), 'beta-alone') });
  expect(alone.cached).toBe(false);
  expect(alone.sha256).toBe(bundles[1]!.sha256);
  // A second call finds both current.
  expect((await bundleLambdas(entries)).map((bundle) => bundle.cached)).toEqual([true, true]);
});

test('exports handler from a CommonJS entry too (plain JavaScript teams write exports.handler = …)', () => {
  const project = temporaryFolder();
  writeFileSync(path.join(project, 'package.json'), '{"name":"commonjs","private":true}');
  const cjsEntry = path.join(project, 'src', 'worker.js');
  mkdirSync(path.dirname(cjsEntry));
  writeFileSync(cjsEntry, 'exports.handler = async (event) => ({ batchItemFailures: [], records: event.Records.length });\n');
  const bundle = bundleLambda(cjsEntry);
  const loaded = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(bundle.file)}); console.log(JSON.stringify(await m.handler({ Records: [1, 2] })));`], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(loaded.stderr).toBe('');
  expect(JSON.parse(loaded.stdout)).toEqual({ batchItemFailures: [], records: 2 });
});

test('an ES module without a handler export fails the build, saying so', () => {
  const project = temporaryFolder();
  writeFileSync(path.join(project, 'package.json'), '{"name":"no-handler","private":true}');
  const noHandler = path.join(project, 'jobs', 'handler.ts');
  mkdirSync(path.dirname(noHandler));
  writeFileSync(noHandler, 'export const main = async () => 1;\n');
  expect(() => bundleLambda(noHandler)).toThrow('bundleLambda(jobs/handler.ts): the module does not export handler');
});

test('zips a bundle deterministically: same bytes whatever the files\' timestamps, entries sorted and readable', async () => {
  const bundle = bundleLambda(entry('notification-service'), { outDir: path.join(temporaryFolder(), 'zip-me') });
  const first = zipDirectory(bundle.directory, path.join(temporaryFolder(), 'first.zip'));
  utimesSync(bundle.file, new Date('2031-05-06T07:08:09Z'), new Date('2031-05-06T07:08:09Z'));

  const second = zipDirectory(bundle.directory, path.join(temporaryFolder(), 'second.zip'));
  // The worker-thread pool (parallel pre-zipping before synth) gives the same bytes; a bundle
  // listed twice (one per environment) is zipped once.
  const other = bundleLambda(entry('shipping-service'), { outDir: path.join(temporaryFolder(), 'zip-me-too') });
  const [third, fourth, again] = await zipBundles([bundle, other, bundle]);

  expect(second.sha256).toBe(first.sha256);
  expect(third!.sha256).toBe(first.sha256);
  expect(fourth!.sha256).toBe(zipDirectory(other.directory, path.join(temporaryFolder(), 'other.zip')).sha256);
  expect(again).toEqual(third);
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
