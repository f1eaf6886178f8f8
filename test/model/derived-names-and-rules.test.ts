/**
 * The classes of bad input beyond single settings (DESIGN §3), each closed as a class: every name
 * and description the model derives within its service's limits, tags after merging, names that
 * collide after the model's own transformations, topologies that loop, handler entries that are
 * not handlers, environments asked twice, and misuse from plain JavaScript. Each is one line in one
 * SpecValidationError naming the thing, the field, the value and the fix.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildGraphs, SpecValidationError, type EnvironmentProfiles, type Topology } from '../../model';
import { environments as referenceEnvironments } from '../../stacks/environments';
import { topology as referenceTopology } from '../../stacks/topology';

const entryOf = (service: string) => referenceTopology.functions!.find((fn) => fn.name === service)!.entry;
const scratch = mkdtempSync(path.join(tmpdir(), 'model-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const location = path.join(scratch, name);
  mkdirSync(path.dirname(location), { recursive: true });
  writeFileSync(location, content);
  return location;
}

/** The problems of building `topology` with `profiles`, or a failure when it builds. */
function problemsOf(topology: unknown, profiles: unknown, environments?: readonly unknown[]): string[] {
  try {
    buildGraphs(topology as Topology, profiles as EnvironmentProfiles, environments as string[] | undefined);
  } catch (error) {
    if (error instanceof SpecValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a SpecValidationError');
}

const one = (queue: object) => ({ queues: [{ name: 'orders', ...queue }] });

interface Case {
  readonly rule: string;
  readonly topology: unknown;
  readonly profiles: unknown;
  readonly environments?: readonly unknown[];
  /** Every fragment must appear in one and the same problem line. */
  readonly expected: readonly string[];
}

const cases: readonly Case[] = [
  // ── every derived name and description within its service's limits ──
  {
    rule: 'an environment name that makes the IAM policy names too long (128)',
    topology: one({ name: 'q'.repeat(58) }),
    profiles: { ['e'.repeat(60)]: {} },
    expected: ['IAM policy name', 'within 128 characters', 'shorten the queue name, the environment name or the scope'],
  },
  {
    rule: 'a scope that makes the SQS queue name too long (80)',
    topology: one({ name: 'orders' }),
    profiles: { staging: { scope: 's'.repeat(70) } },
    expected: ['queue "orders" (staging)', 'SQS queue name', 'within 80 characters'],
  },
  {
    rule: 'a function name that makes the Lambda function name too long (64)',
    topology: { queues: [], functions: [{ name: 'f'.repeat(60), entry: entryOf('order-service') }] },
    profiles: { staging: {} },
    expected: [`function "${'f'.repeat(60)}" (staging)`, 'Lambda function name', 'within 64 characters'],
  },
  {
    rule: 'a function description over Lambda\'s 256 characters',
    topology: { queues: [], functions: [{ name: 'worker', entry: entryOf('order-service'), description: 'd'.repeat(300) }] },
    profiles: { staging: {} },
    expected: ['function "worker" (staging)', 'description', 'Lambda function description', 'within 256 characters (it has 300)'],
  },
  {
    rule: 'a long environment name and scope that make the alert topic and KMS alias too long',
    topology: one({}),
    profiles: { ['p'.repeat(200)]: { scope: 'x'.repeat(60), encryption: { type: 'kms' } } },
    expected: ['KMS alias', 'within 256 characters'],
  },
  {
    rule: 'an S3 state bucket name against S3\'s rules (characters)',
    topology: one({}),
    profiles: { staging: { remoteState: { bucket: 'My_Bucket' } } },
    expected: ['environment "staging"', 'remoteState.bucket', 'S3 bucket name', 'lowercase letters, digits, . and -'],
  },
  {
    rule: 'an S3 state bucket name that looks like an IP address',
    topology: one({}),
    profiles: { staging: { remoteState: { bucket: '192.168.10.12' } } },
    expected: ['remoteState.bucket must not look like an IP address', '"192.168.10.12" was provided'],
  },
  {
    rule: 'an S3 state bucket with a reserved prefix',
    topology: one({}),
    profiles: { staging: { remoteState: { bucket: 'xn--state' } } },
    expected: ['remoteState.bucket must not start with the reserved prefix "xn--"'],
  },
  {
    rule: 'an S3 state key over 1,024 bytes (counted in UTF-8)',
    topology: one({}),
    profiles: { staging: { remoteState: { bucket: 'acme-state', key: 'é'.repeat(600) } } },
    expected: ['remoteState.key', 'S3 object key', 'within 1024 bytes (it has 1200)'],
  },
  {
    rule: 'a lock table name DynamoDB would refuse',
    topology: one({}),
    profiles: { staging: { remoteState: { bucket: 'acme-state', dynamodbTable: 'ab' } } },
    expected: ['remoteState.dynamodbTable', 'DynamoDB table name', 'at least 3 characters long'],
  },
  {
    rule: 'an idempotency expiry below a minute',
    topology: { queues: [], functions: [{ name: 'worker', entry: entryOf('order-service'), idempotencyExpirySeconds: 30 }] },
    profiles: { staging: {} },
    expected: ['function "worker" (staging)', 'idempotencyExpirySeconds must be between 60 and 31536000 seconds', '30 was provided'],
  },
  {
    rule: 'a scope and environment that make the idempotency table name too long for DynamoDB',
    topology: { queues: [], functions: [{ name: 'w', entry: entryOf('order-service') }] },
    profiles: { ['e'.repeat(200)]: { scope: 's'.repeat(50) } },
    expected: ['DynamoDB table name', 'within 255 characters', 'shorten the environment name or the scope'],
  },
  // ── tags after merging ──
  {
    rule: 'more than 50 tags on a queue once the model adds its own',
    topology: one({ tags: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`Queue${i}`, 'x'])) }),
    profiles: { staging: { tags: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`Env${i}`, 'y'])) } },
    expected: ['queue "orders" (staging)', 'tags must leave the queue staging-orders-queue at most 50 tags', '52 was provided', 'remove 2'],
  },
  {
    rule: 'a tag value with characters AWS does not allow',
    topology: one({ tags: { Owner: 'team<payments>' } }),
    profiles: { staging: {} },
    expected: ['queue "orders" (staging)', 'tags.Owner must be a string of at most 256 letters, digits, spaces or _.:/=+-@', '"team<payments>" was provided'],
  },
  // ── names that collide after the model's own transformations ──
  {
    rule: 'audit-log and audit_log become one output and one logical id',
    topology: { queues: [{ name: 'audit-log' }, { name: 'audit_log' }] },
    profiles: { staging: {} },
    expected: ['queue "audit_log" (staging)', 'must not give the same names as queue "audit-log"', 'output name "audit_log_queue_url"', 'rename one of them'],
  },
  {
    rule: 'Orders and orders are one IAM policy name (IAM ignores case)',
    topology: { queues: [{ name: 'Orders' }, { name: 'orders' }] },
    profiles: { staging: {} },
    expected: ['queue "orders" (staging)', 'IAM policy name (IAM names ignore case) "staging-Orders-queue-send" / "staging-orders-queue-send"'],
  },
  {
    rule: 'a function and a queue whose logical ids meet',
    topology: { queues: [{ name: 'order-service-function' }], functions: [{ name: 'order-service', entry: entryOf('order-service') }] },
    profiles: { staging: {} },
    expected: [],
  },
  {
    rule: 'two queues whose URLs would share one environment variable',
    topology: { queues: [{ name: 'audit-log' }, { name: 'audit_log' }], functions: [{ name: 'writer', entry: entryOf('order-service'), publishesTo: ['audit-log', 'audit_log'] }] },
    profiles: { staging: {} },
    expected: ['function "writer" (staging)', 'publishesTo must not name two queues whose URLs share the variable AUDIT_LOG_QUEUE_URL'],
  },
  // ── topologies that loop ──
  {
    rule: 'a service consuming what it publishes',
    topology: { queues: [{ name: 'jobs', visibilityTimeoutSeconds: 60 }], functions: [{ name: 'worker', entry: entryOf('order-service'), consumes: { queue: 'jobs' }, publishesTo: ['jobs'] }] },
    profiles: { staging: {} },
    expected: ['function "worker" (staging)', 'publishesTo must not lead back to the queue it consumes ("jobs" → worker → "jobs")'],
  },
  {
    rule: 'a loop through other services',
    topology: {
      queues: ['a', 'b', 'c'].map((name) => ({ name, visibilityTimeoutSeconds: 60 })),
      functions: [
        { name: 'ab', entry: entryOf('order-service'), consumes: { queue: 'a' }, publishesTo: ['b'] },
        { name: 'bc', entry: entryOf('order-service'), consumes: { queue: 'b' }, publishesTo: ['c'] },
        { name: 'ca', entry: entryOf('order-service'), consumes: { queue: 'c' }, publishesTo: ['a'] },
      ],
    },
    profiles: { staging: {} },
    expected: ['function "ab" (staging)', '("a" → ab → "b" → bc → "c" → ca → "a")'],
  },
  // ── handler entries ──
  {
    rule: 'an entry that is a directory',
    topology: { queues: [], functions: [{ name: 'worker', entry: path.dirname(entryOf('order-service')) }] },
    profiles: { staging: {} },
    expected: ['function "worker" (staging)', 'entry must be a handler module that exports handler', 'is a directory; point entry at the handler module inside it'],
  },
  {
    rule: 'an empty entry file',
    topology: { queues: [], functions: [{ name: 'worker', entry: file('empty/handler.ts', '  \n') }] },
    profiles: { staging: {} },
    expected: ['function "worker" (staging)', 'is empty; it must export a function named handler'],
  },
  {
    rule: 'an entry without a handler export',
    topology: { queues: [], functions: [{ name: 'worker', entry: file('main/handler.ts', 'export const main = async () => 1;\n') }] },
    profiles: { staging: {} },
    expected: ['function "worker" (staging)', 'does not export handler; add `export const handler'],
  },
  // ── environments asked for on the command line, and the profiles themselves ──
  {
    rule: 'the same environment asked twice',
    topology: referenceTopology,
    profiles: referenceEnvironments,
    environments: ['staging', 'staging'],
    expected: ['environment: name must be asked for once', '"staging" was provided'],
  },
  {
    rule: 'an environment name with capitals',
    topology: one({}),
    profiles: { Staging: {} },
    expected: ['environment "Staging": name must be lowercase letters, digits and "-"', 'e.g. "qa" or "pr-123"'],
  },
  {
    rule: 'a scope with characters names cannot carry',
    topology: one({}),
    profiles: { staging: { scope: 'team/payments' } },
    expected: ['environment "staging": scope must be lowercase letters, digits and "-"', '"team/payments" was provided'],
  },
  {
    rule: 'no profiles at all',
    topology: one({}),
    profiles: {},
    expected: ['profiles must define at least one environment'],
  },
  {
    rule: 'your own environment variable replacing one the model sets',
    topology: { queues: [], functions: [{ name: 'worker', entry: entryOf('order-service'), environmentVariables: { ENVIRONMENT: 'x', AWS_REGION: 'y' } }] },
    profiles: { staging: {} },
    expected: ['environmentVariables.ENVIRONMENT must not replace a variable the model sets'],
  },
];

describe('every class of bad input is one clear problem line', () => {
  it.each(cases.filter((c) => c.expected.length > 0).map((c) => [c.rule, c] as const))('%s', (_rule, testCase) => {
    const problems = problemsOf(testCase.topology, testCase.profiles, testCase.environments);
    if (!problems.some((line) => testCase.expected.every((fragment) => line.includes(fragment)))) {
      throw new Error(`no problem line contains all of ${JSON.stringify(testCase.expected)}:\n${problems.join('\n')}`);
    }
  });

  it('an unknown environment does not hide the topology\'s own problems', () => {
    const problems = problemsOf(one({ maxReceiveCount: 0 }), { staging: {} }, ['qa']);
    expect(problems).toEqual([
      expect.stringContaining('environment: name must be one of the environments the profiles define (staging), but "qa" was provided'),
      expect.stringContaining('queue "orders" (qa): maxReceiveCount must be between 1 and 1000 receives, but 0 was provided'),
    ]);
  });

  it('warns when an idempotency expiry does not outlast the input queue\'s retention', () => {
    const [graph] = buildGraphs(
      { queues: [{ name: 'jobs', visibilityTimeoutSeconds: 60, messageRetentionSeconds: 7_200 }], functions: [{ name: 'worker', entry: entryOf('inventory-service'), consumes: { queue: 'jobs' }, idempotencyExpirySeconds: 3_600 }] },
      { staging: {} },
    );
    expect(graph!.settings.warnings.map((warning) => warning.message)).toContain(
      'idempotencyExpirySeconds 3600 does not exceed the retention of its input queue "jobs" (7200 s): a redelivery after 3600 s is handled again',
    );
  });

  it('names that differ as written but not once derived are fine when nothing collides', () => {
    expect(() => buildGraphs({ queues: [{ name: 'order-service-function' }], functions: [{ name: 'order-service', entry: entryOf('order-service') }] }, { staging: {} })).not.toThrow();
  });
});

describe('misuse from plain JavaScript never ends in a raw TypeError', () => {
  const misuses: [string, unknown, unknown][] = [
    ['no topology', undefined, { staging: {} }],
    ['a topology that is a string', 'orders', { staging: {} }],
    ['queues that are null', { queues: null }, { staging: {} }],
    ['a queue that is a number', { queues: [42] }, { staging: {} }],
    ['a function that is null', { queues: [], functions: [null] }, { staging: {} }],
    ['consumes that is a string', { queues: [{ name: 'q' }], functions: [{ name: 'f', entry: entryOf('order-service'), consumes: 'q' }] }, { staging: {} }],
    ['publishesTo that is a string', { queues: [{ name: 'q' }], functions: [{ name: 'f', entry: entryOf('order-service'), publishesTo: 'q' }] }, { staging: {} }],
    ['alarms that are an array', one({ alarms: [] }), { staging: {} }],
    ['tags that are a string', one({ tags: 'team' }), { staging: {} }],
    ['profiles that are undefined', one({}), undefined],
    ['a profile that is a string', one({}), { staging: 'prod' }],
    ['environmentVariables that are a list', { queues: [], functions: [{ name: 'f', entry: entryOf('order-service'), environmentVariables: ['A=1'] }] }, { staging: {} }],
  ];

  it.each(misuses)('%s: a SpecValidationError listing it', (_case, topology, profiles) => {
    expect(problemsOf(topology, profiles).length).toBeGreaterThan(0);
  });
});
