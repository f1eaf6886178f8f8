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
  // The assertions on the synthesized JSON live in snapshot-free matchers; snapshots sit next to tests.
  testTimeout: 60_000,
};
