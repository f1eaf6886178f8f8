/** The assertion the invalid-configuration tables share: rejected at synth, named, nothing written. */
import { existsSync } from 'node:fs';
import { SpecValidationError, type EnvironmentProfiles, type Topology } from '../../model';
import { buildMessagingApp } from '../../stacks/app';

export interface CandidateConfig {
  readonly topology: Topology;
  readonly environments: EnvironmentProfiles;
  readonly only?: readonly string[];
}

/**
 * Synthesizes `config` into `outdir` and asserts it fails with a SpecValidationError one of whose
 * problem lines contains every `expected` fragment, and that `outdir` was never created.
 */
export async function expectRejectedAtSynth(config: CandidateConfig, outdir: string, expected: readonly string[]): Promise<void> {
  let thrown: unknown;
  try {
    (await buildMessagingApp({ ...config, outdir })).app.synth();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SpecValidationError);
  const problems = (thrown as SpecValidationError).problems;
  if (!problems.some((line) => expected.every((fragment) => line.includes(fragment)))) {
    throw new Error(`no problem line contains all of ${JSON.stringify(expected)}:\n${problems.join('\n')}`);
  }
  expect(existsSync(outdir)).toBe(false);
}
