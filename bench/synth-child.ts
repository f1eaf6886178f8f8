/**
 * One measured synth in a fresh process: `empty` (a cdktf app with one empty stack, the floor) or
 * `messaging` (the three environment stacks). Prints one JSON line with its time and peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const started = performance.now();
const kind = process.argv[2];
const outdir = mkdtempSync(path.join(tmpdir(), `bench-synth-${kind}-`));

async function main(): Promise<void> {
  if (kind === 'empty') {
    const { App, TerraformStack } = await import('cdktf');
    const app = new App({ outdir });
    new TerraformStack(app, 'empty');
    app.synth();
  } else if (kind === 'messaging') {
    const { buildMessagingApp } = await import('../stacks/app');
    const { environments } = await import('../stacks/environments');
    const { topology } = await import('../stacks/topology');
    (await buildMessagingApp({ topology, environments, outdir })).app.synth();
  } else {
    throw new Error(`usage: synth-child.ts empty|messaging (got ${kind})`);
  }
  const result = { kind, inProcessMs: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  rmSync(outdir, { recursive: true, force: true });
  console.log(JSON.stringify(result));
}

void main();
