/**
 * Synth-scaling benchmark: 3, 12 and 48 consumer services (each its own queue and its own handler
 * file, see scaling-topology.ts), all environments of the reference profiles, in fresh processes as
 * `npm run synth` runs: cold (the services' bundles deleted first) and warm (bundles cached, no code
 * change), next to the empty cdktf app's synth (the floor).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { median, printTable } from './report';
import { clearScalingBundles, writeScalingServices } from './scaling-topology';

const SIZES = [3, 12, 48] as const;
/** Warm runs per size (cold runs are one each after clearing: each takes a while at 48). */
const WARM_RUNS = 3;
const COLD_RUNS = 2;
const tsxCli = require.resolve('tsx/cli');

interface ChildResult {
  readonly inProcessMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

interface Measured {
  readonly wallMs: number;
  readonly inProcessMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

function run(args: readonly string[]): ChildResult & { wallMs: number } {
  const started = performance.now();
  const output = execFileSync(process.execPath, [tsxCli, path.join(__dirname, 'synth-child.ts'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const wallMs = performance.now() - started;
  return { ...(JSON.parse(output.trim().split('\n').pop()!) as ChildResult), wallMs };
}

function summarize(results: readonly (ChildResult & { wallMs: number })[]): Measured {
  return {
    wallMs: median(results.map((result) => result.wallMs)),
    inProcessMs: median(results.map((result) => result.inProcessMs)),
    cpuMs: median(results.map((result) => result.cpuMs)),
    maxRssMb: Math.max(...results.map((result) => result.maxRssMb)),
  };
}

export async function benchSynthScaling(): Promise<void> {
  console.log(`\n## Synth scaling (all environments; cold = bundles deleted first, median of ${COLD_RUNS}; warm = cache filled, median of ${WARM_RUNS})`);
  const floor = summarize(Array.from({ length: WARM_RUNS }, () => run(['empty'])));
  const rows: (string | number)[][] = [['empty cdktf app (floor)', '', floor.wallMs, floor.inProcessMs, floor.cpuMs, floor.maxRssMb, '1.0']];
  for (const size of SIZES) {
    writeScalingServices(size);
    const cold = summarize(
      Array.from({ length: COLD_RUNS }, () => {
        clearScalingBundles(size);
        return run(['scaling', String(size)]);
      }),
    );
    const warm = summarize(Array.from({ length: WARM_RUNS }, () => run(['scaling', String(size)])));
    rows.push([`${size} services, cold`, size, cold.wallMs, cold.inProcessMs, cold.cpuMs, cold.maxRssMb, (cold.wallMs / floor.wallMs).toFixed(1)]);
    rows.push([`${size} services, warm`, size, warm.wallMs, warm.inProcessMs, warm.cpuMs, warm.maxRssMb, (warm.wallMs / floor.wallMs).toFixed(1)]);
  }
  printTable(['synth', 'services', 'wall ms (process)', 'in-process ms', 'CPU ms', 'peak RSS MB', '× floor (wall)'], rows);
  console.log('targets (issue 8): warm 48 services within 3 × the floor; cold 48 services within half of the previous implementation');
}

if (require.main === module) void benchSynthScaling();
