/**
 * `npm run bench`: every benchmark in one run, each printing its own figures. Benchmarks live
 * here, not in the tests, because they measure time and memory; nothing here asserts.
 * Run one section with `npm run bench -- synth|synth-scaling|lambdas|pipeline|soak`; `soak`
 * (5 minutes) runs only when named.
 */
import { benchLambdas } from './lambdas';
import { benchPipeline } from './pipeline';
import { benchSoak } from './soak';
import { benchSynth } from './synth';
import { benchSynthScaling } from './synth-scaling';

const SECTIONS: Record<string, () => Promise<void>> = {
  synth: benchSynth,
  'synth-scaling': benchSynthScaling,
  lambdas: benchLambdas,
  pipeline: benchPipeline,
  soak: benchSoak,
};

/** Sections left out of a plain `npm run bench` (too long for every run). */
const ON_REQUEST = new Set(['soak']);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: npm run bench [-- <section>...]\n\nsections: ${Object.keys(SECTIONS).join(', ')} (default: all but ${[...ON_REQUEST].join(', ')})`);
    return;
  }
  const unknown = args.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0) {
    console.error(`unknown benchmark section ${unknown.map((u) => JSON.stringify(u)).join(', ')}; choose from ${Object.keys(SECTIONS).join(', ')}`);
    process.exit(2);
  }
  const chosen = args.length > 0 ? args : Object.keys(SECTIONS).filter((name) => !ON_REQUEST.has(name));
  console.log(`# Benchmarks (node ${process.version}, ${process.platform}/${process.arch})`);
  for (const name of chosen) await SECTIONS[name]!();
}

void main();
