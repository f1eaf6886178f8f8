/**
 * What local mode checks before it starts anything: the Node.js version (node:sqlite for fauxqs) and
 * the flag the SQS server's process needs on the versions where node:sqlite is still behind one.
 * The missing-package error is checked where packages can be missing: in a project that installed
 * the packed package without its optional peers (test/package/packed-install.test.ts).
 */
import { checkLocalRequirements, LocalRequirementError, loadDynamoDbSdk, sqliteNodeArguments } from '../../local/runtime-requirements';

describe('checkLocalRequirements', () => {
  it.each(['20.20.2', '22.4.1', '18.0.0'])('refuses Node.js %s, naming the version it has and the one it needs', (version) => {
    const attempt = () => checkLocalRequirements({ idempotencyTable: true }, version);
    expect(attempt).toThrow(LocalRequirementError);
    expect(attempt).toThrow(`local mode needs Node.js 22.5 or later (fauxqs, the embedded SQS server, keeps its queues in node:sqlite); this is Node.js ${version}`);
  });

  it.each(['22.5.0', '22.12.0', '23.0.0', '24.21.0', '25.1.0'])('accepts Node.js %s when the packages are installed (as in this repository)', (version) => {
    expect(() => checkLocalRequirements({ idempotencyTable: true }, version)).not.toThrow();
  });
});

describe('sqliteNodeArguments', () => {
  it.each([
    ['22.5.0', ['--experimental-sqlite']],
    ['22.12.0', ['--experimental-sqlite']],
    ['23.3.0', ['--experimental-sqlite']],
    ['22.13.0', []],
    ['23.4.0', []],
    ['24.21.0', []],
  ])('Node.js %s: %j', (version, expected) => {
    expect(sqliteNodeArguments(version)).toEqual(expected);
  });
});

it('loads the DynamoDB SDK on first use', () => {
  expect(typeof loadDynamoDbSdk().DynamoDBClient).toBe('function');
});
