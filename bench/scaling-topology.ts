/**
 * A generated topology for the synth-scaling benchmark: `count` consumer services, each with its
 * own queue and its own handler file (built on the project's shared consumer runtime, so each is a
 * real bundle of the SDK and Powertools), under `.build/bench-scaling/` (git-ignored).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Topology } from '../model';

const projectRoot = path.resolve(__dirname, '..');
export const SCALING_ROOT = path.join(projectRoot, '.build', 'bench-scaling');

/** The handler entry of generated service `index`. */
function entryOf(index: number): string {
  return path.join(SCALING_ROOT, 'services', `consumer-${index}`, 'handler.ts');
}

/** Writes the handler files of `count` services (unchanged files are rewritten byte-identical). */
export function writeScalingServices(count: number): void {
  for (let index = 0; index < count; index++) {
    const entry = entryOf(index);
    mkdirSync(path.dirname(entry), { recursive: true });
    const shared = path.relative(path.dirname(entry), path.join(projectRoot, 'lambdas', 'shared')).split(path.sep).join('/');
    writeFileSync(
      entry,
      `import { createSqsConsumer } from '${shared}/consumer';\n` +
        `import { OrderCreatedSchema } from '${shared}/order-events';\n` +
        `export const handler = createSqsConsumer({ inputName: 'OrderCreated (consumer ${index})', inputSchema: OrderCreatedSchema, handle: () => undefined });\n`,
    );
  }
}

/** Deletes the bundles and zips of the generated services: the next synth is cold. */
export function clearScalingBundles(count: number): void {
  for (let index = 0; index < count; index++) {
    const bundle = path.join(projectRoot, '.build', 'lambdas', `consumer-${index}`);
    for (const file of [bundle, `${bundle}.zip`, `${bundle}.zip.json`, `${bundle}.manifest.json`]) rmSync(file, { recursive: true, force: true });
  }
}

/** `count` queues, each consumed by its own service (visibility ≥ 6 × the 10 s default timeout). */
export function scalingTopology(count: number): Topology {
  return {
    queues: Array.from({ length: count }, (_, index) => ({ name: `work-${index}`, visibilityTimeoutSeconds: 60 })),
    functions: Array.from({ length: count }, (_, index) => ({ name: `consumer-${index}`, entry: entryOf(index), consumes: { queue: `work-${index}` } })),
  };
}
