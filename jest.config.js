/** Jest runs the TypeScript sources through @swc/jest (about 10× faster than ts-jest here);
 * type-checking is a separate `tsc --noEmit` step in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2023' } }],
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup-jest.ts'],
  // The last line of the output is the count of passed and failed tests.
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  // Generous per-test ceiling: the local-mode tests wait on real visibility timeouts.
  testTimeout: 60_000,
  // Most suites spend their time waiting on real processes and visibility timeouts, not on the CPU:
  // at least two workers, also on a two-core machine (where Jest's default would be one). Measured
  // there: one worker 367 s, two 204–218 s. Three took 148 s but starved the local-mode suites of CPU
  // until function timeouts fired (a fresh clone: 202 s, and a redelivery the pipeline test did not expect).
  maxWorkers: Math.max(2, require('node:os').availableParallelism() - 1),
};
