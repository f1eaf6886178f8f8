/** A child process whose stdout and stderr the test reads as one text while it runs. */
import { spawn, type ChildProcessByStdio, type SpawnOptions } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface CapturedProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything it printed so far, stdout and stderr interleaved as they arrived. */
  readonly output: () => string;
  /** Its exit code, on `settleOn`. */
  readonly exited: Promise<number | null>;
}

/**
 * Spawns `command` with stdin ignored and both outputs captured.
 * @param settleOn `exit` (the process ended) or `close` (it ended and its output was read to the end,
 * which waits for any child still holding the pipes). @default 'exit'
 */
export function spawnCaptured(command: string, args: readonly string[], options: Omit<SpawnOptions, 'stdio'> = {}, settleOn: 'exit' | 'close' = 'exit'): CapturedProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }) as ChildProcessByStdio<null, Readable, Readable>;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once(settleOn, (code: number | null) => resolve(code)));
  return { child, output: () => output, exited };
}
