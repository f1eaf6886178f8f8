/**
 * One measured synth in a fresh process: `empty` (a cdktf app with one empty stack, the floor),
 * `messaging` (the reference stacks) or `scaling <count>` (a generated topology of `count`
 * consumer services; see scaling-topology.ts), all environments of the reference profiles.
 * Prints one JSON line with its time and peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const started = performance.now();
const [kind, count] = process.argv.slice(2);
const outdir = mkdtempSync(path.join(tmpdir(), `bench-synth-${kind}-`));

async function main(): Promise<void> {
  if (kind === 'empty') {
    const { App, TerraformStack } = await import('cdktf');
    const app = new App({ outdir });
    new TerraformStack(app, 'empty');
    app.synth();
  } else if (kind === 'messaging' || kind === 'scaling') {
    const { synthesizeMessagingApp } = await import('../stacks/app');
    const { environments } = await import('../stacks/environments');
    const topology = kind === 'messaging' ? (await import('../stacks/topology')).topology : (await import('./scaling-topology')).scalingTopology(Number(count));
    // As `npm run synth` does it.
    await synthesizeMessagingApp({ topology, environments, outdir });
  } else {
    throw new Error(`usage: synth-child.ts empty | messaging | scaling <count> (got ${kind})`);
  }
  const cpu = process.cpuUsage();
  const result = { kind, inProcessMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  rmSync(outdir, { recursive: true, force: true });
  console.log(JSON.stringify(result));
}

void main();
