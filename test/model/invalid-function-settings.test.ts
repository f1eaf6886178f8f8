/**
 * Lambda and event-source rules (DESIGN §3), checked at synth: each configuration is rejected with
 * a message naming the function or queue, environment, field, value and fix; nothing is written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distinctWarnings, resolveEnvironments } from '../../model';
import { expectRejectedAtSynth } from '../support/expect-rejected';
import { environments as referenceEnvironments } from '../../stacks/environments';
import { topology as referenceTopology } from '../../stacks/topology';

type Config = { topology: any; environments: any };
const fn = (c: Config, name: string) => c.topology.functions.find((f: { name: string }) => f.name === name);
const queue = (c: Config, name: string) => c.topology.queues.find((q: { name: string }) => q.name === name);

const cases: readonly { rule: string; change: (c: Config) => void; expected: readonly string[] }[] = [
  {
    rule: 'queue visibility below 6 × the consumer timeout',
    change: (c) => (fn(c, 'inventory-service').timeoutSeconds = 30),
    expected: [
      'queue "order" (development)',
      "visibilityTimeoutSeconds must be at least 6 × the consumer's timeout (6 × 30 s = 180 s), but 60 was provided",
      'raise visibilityTimeoutSeconds to 180 or lower function "inventory-service" timeoutSeconds to 10',
    ],
  },
  {
    rule: 'the batching window counts towards the visibility rule',
    change: (c) => (fn(c, 'inventory-service').consumes.maximumBatchingWindowSeconds = 5),
    expected: ['queue "order" (development)', '(6 × 10 s + 5 s batching window = 65 s), but 60 was provided'],
  },
  {
    rule: 'timeout below 1 s',
    change: (c) => (fn(c, 'order-service').timeoutSeconds = 0),
    expected: ['function "order-service" (development)', 'timeoutSeconds must be between 1 and 900 seconds', '0 was provided'],
  },
  {
    rule: 'timeout above 15 minutes',
    change: (c) => (fn(c, 'order-service').timeoutSeconds = 901),
    expected: ['function "order-service" (development)', 'timeoutSeconds must be between 1 and 900 seconds', '901 was provided'],
  },
  {
    rule: 'memory below 128 MB',
    change: (c) => (fn(c, 'shipping-service').memorySizeMb = 64),
    expected: ['function "shipping-service" (development)', 'memorySizeMb must be between 128 and 10240 MB', '64 was provided'],
  },
  {
    rule: 'memory above 10,240 MB (production override)',
    change: (c) => (c.environments.production.functions = { 'shipping-service': { memorySizeMb: 20_480 } }),
    expected: ['function "shipping-service" (production)', 'memorySizeMb must be between 128 and 10240 MB', '20480 was provided'],
  },
  {
    rule: 'batch size above 10,000 on a standard queue',
    change: (c) => Object.assign(fn(c, 'inventory-service').consumes, { batchSize: 10_001, maximumBatchingWindowSeconds: 0 }),
    expected: ['function "inventory-service" (development)', 'consumes.batchSize must be between 1 and 10000 records', '10001 was provided'],
  },
  {
    rule: 'batch size above 10 needs a batching window',
    change: (c) => (fn(c, 'inventory-service').consumes.batchSize = 50),
    expected: ['function "inventory-service" (development)', 'consumes.maximumBatchingWindowSeconds must be at least 1 second when batchSize is above 10', '0 was provided', 'lower batchSize to 10'],
  },
  {
    rule: 'batch size above 10 on a FIFO queue',
    change: (c) => {
      queue(c, 'notification').fifo = true;
      fn(c, 'notification-service').consumes.batchSize = 20;
    },
    expected: ['function "notification-service" (development)', 'consumes.batchSize must be between 1 and 10 records', '20 was provided'],
  },
  {
    rule: 'a batching window on a FIFO queue',
    change: (c) => {
      queue(c, 'notification').fifo = true;
      queue(c, 'notification').visibilityTimeoutSeconds = 60;
      fn(c, 'notification-service').consumes.maximumBatchingWindowSeconds = 5;
    },
    expected: ['function "notification-service" (development)', 'consumes.maximumBatchingWindowSeconds must be 0 for the FIFO queue "development-notification-queue.fifo"', '5 was provided', 'remove the batching window'],
  },
  {
    rule: 'batching window above 300 s',
    change: (c) => (fn(c, 'shipping-service').consumes.maximumBatchingWindowSeconds = 301),
    expected: ['function "shipping-service" (development)', 'consumes.maximumBatchingWindowSeconds must be between 0 and 300 seconds', '301 was provided'],
  },
  {
    rule: 'maximum concurrency below 2',
    change: (c) => (fn(c, 'notification-service').consumes.maximumConcurrency = 1),
    expected: ['function "notification-service" (development)', 'consumes.maximumConcurrency must be between 2 and 1000 invocations', '1 was provided'],
  },
  {
    rule: 'a consumer pointing at an unknown queue',
    change: (c) => (fn(c, 'shipping-service').consumes.queue = 'shipments'),
    expected: ['function "shipping-service" (development)', 'consumes.queue must name a queue of the topology (order, inventory, notification)', '"shipments" was provided', 'add the queue to the topology or fix the name'],
  },
  {
    rule: 'a producer publishing to an unknown queue',
    change: (c) => (fn(c, 'order-service').publishesTo = ['orders']),
    expected: ['function "order-service" (development)', 'publishesTo must name queues of the topology', '"orders" was provided'],
  },
  {
    rule: 'negative reserved concurrency',
    change: (c) => (fn(c, 'order-service').reservedConcurrency = -1),
    expected: ['function "order-service" (development)', 'reservedConcurrency must be between 0 and 1000 invocations', '-1 was provided'],
  },
  {
    rule: 'a log retention CloudWatch does not offer',
    change: (c) => (c.environments.staging.logRetentionDays = 10),
    expected: ['function "order-service" (staging)', 'logRetentionDays must be one of 1, 3, 5, 7, 14, 30', '10 was provided'],
  },
  {
    rule: 'an unknown log level',
    change: (c) => (c.environments.development.functionDefaults = { logLevel: 'TRACE' }),
    expected: ['function "order-service" (development)', 'logLevel must be one of "DEBUG", "INFO", "WARN", "ERROR"', '"TRACE" was provided'],
  },
  {
    rule: 'a handler entry that does not exist',
    change: (c) => (fn(c, 'order-service').entry = 'lambdas/order-service/missing.ts'),
    expected: ['function "order-service" (development)', 'entry must be a handler module that exports handler', '"lambdas/order-service/missing.ts" was provided', 'no file at'],
  },
  {
    rule: 'a function name whose role name would exceed 64 characters',
    change: (c) => (fn(c, 'order-service').name = 'order-service-with-a-very-long-descriptive-names'),
    expected: [
      'function "order-service-with-a-very-long-descriptive-names" (development)',
      'must keep the IAM role name "development-order-service-with-a-very-long-descriptive-names-role" within 64 characters (it has 65)',
    ],
  },
  {
    rule: 'a function override for a function the topology lacks',
    change: (c) => (c.environments.production.functions = { 'billing-service': { memorySizeMb: 512 } }),
    expected: ['environment "production"', 'functions.billing-service must override one of the topology\'s functions', '"billing-service" was provided'],
  },
  {
    rule: 'a misspelt function default',
    change: (c) => (c.environments.production.functionDefaults = { memorySize: 512 }),
    expected: ['environment "production"', 'functionDefaults: unknown field "memorySize"', 'did you mean "memorySizeMb"?'],
  },
];

describe('invalid function settings are rejected at synth', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = path.join(mkdtempSync(path.join(tmpdir(), 'invalid-fn-')), 'cdktf.out');
  });
  afterEach(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));

  it.each(cases.map((c) => [c.rule, c] as const))('%s', async (_rule, testCase) => {
    const config: Config = structuredClone({ topology: referenceTopology, environments: referenceEnvironments });
    testCase.change(config);
    await expectRejectedAtSynth(config, outdir, testCase.expected);
  });
});

describe('advisory findings', () => {
  it('warns once, across environments, that maxReceiveCount below 5 can dead-letter healthy messages under throttling', () => {
    const specs = resolveEnvironments(referenceTopology, referenceEnvironments);
    const warnings = distinctWarnings(specs);
    expect(warnings).toEqual([
      'queue "order" (development, staging, production): maxReceiveCount 3 is below 5 with a Lambda consumer ("inventory-service"); throttled invocations can dead-letter healthy messages',
      'queue "inventory" (development, staging, production): maxReceiveCount 3 is below 5 with a Lambda consumer ("shipping-service"); throttled invocations can dead-letter healthy messages',
    ]);
  });

  it('does not warn for a receive count of 5 or more', () => {
    const config = structuredClone({ topology: referenceTopology, environments: referenceEnvironments }) as Config;
    for (const q of config.topology.queues) q.maxReceiveCount = 5;
    expect(distinctWarnings(resolveEnvironments(config.topology, config.environments))).toEqual([]);
  });
});
