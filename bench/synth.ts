/**
 * Synth benchmark: wall time and peak memory of synthesizing all three stacks, next to an empty
 * cdktf app's synth measured the same way in the same run (the floor).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { median, printTable } from './report';

const RUNS = 5;
const tsxCli = require.resolve('tsx/cli');

interface ChildResult {
  readonly inProcessMs: number;
  readonly maxRssMb: number;
}

function measure(kind: 'empty' | 'messaging'): { wallMs: number; inProcessMs: number; maxRssMb: number } {
  const wall: number[] = [];
  const inProcess: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const output = execFileSync(process.execPath, [tsxCli, path.join(__dirname, 'synth-child.ts'), kind], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    wall.push(performance.now() - started);
    const result = JSON.parse(output.trim().split('\n').pop()!) as ChildResult;
    inProcess.push(result.inProcessMs);
    rss.push(result.maxRssMb);
  }
  return { wallMs: median(wall), inProcessMs: median(inProcess), maxRssMb: Math.max(...rss) };
}

export async function benchSynth(): Promise<void> {
  console.log(`\n## Synth (median of ${RUNS} fresh processes; peak RSS is the largest seen)`);
  const empty = measure('empty');
  const messaging = measure('messaging');
  printTable(
    ['app', 'wall ms (process)', 'synth ms (in process)', 'peak RSS MB'],
    [
      ['empty cdktf app (floor)', empty.wallMs, empty.inProcessMs, empty.maxRssMb],
      ['development + staging + production', messaging.wallMs, messaging.inProcessMs, messaging.maxRssMb],
    ],
  );
}

if (require.main === module) void benchSynth();
