/**
 * Bad input, table-driven: each configuration breaks one rule (DESIGN §3) and must be rejected
 * with one message naming the queue, environment, field, bad value and the fix — and nothing may
 * be written to the output folder.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildGraphs, SpecValidationError, type EnvironmentProfiles, type Topology } from '../../model';
import { expectRejectedAtSynth } from '../support/expect-rejected';
import { environments as referenceEnvironments } from '../../stacks/environments';
import { topology as referenceTopology } from '../../stacks/topology';

type Mutable = { topology: any; environments: any; only?: string[] };
interface Case {
  readonly rule: string;
  readonly change: (config: Mutable) => void;
  /** Every fragment must appear in one and the same problem line. */
  readonly expected: readonly string[];
}

const order = (config: Mutable) => config.topology.queues.find((q: { name: string }) => q.name === 'order');

const cases: readonly Case[] = [
  {
    rule: 'queue name characters',
    change: (c) => (order(c).name = 'order!'),
    expected: ['queue (development)', 'name', '"order!"', 'letters, digits, "-" and "_"'],
  },
  {
    rule: 'queue name length with environment prefix',
    change: (c) => (order(c).name = 'o'.repeat(64)),
    expected: [`queue "${'o'.repeat(64)}" (development)`, 'SQS queue name', 'within 80 characters', 'shorten the queue name, the environment name or the scope'],
  },
  {
    rule: 'FIFO suffix counts towards the name length',
    change: (c) => Object.assign(order(c), { name: 'x'.repeat(58), fifo: true }),
    expected: [`queue "${'x'.repeat(58)}" (development)`, '.fifo', 'within 80 characters', 'it has 81'],
  },
  {
    rule: 'duplicate queue names',
    change: (c) => c.topology.queues.push({ ...order(c) }),
    expected: ['queue "order" (development)', 'name must be unique', 'rename one of the queues called "order"'],
  },
  {
    rule: 'unknown environment',
    change: (c) => (c.only = ['prod']),
    expected: ['environment', 'name must be one of the environments the profiles define (development, staging, production)', '"prod"', 'add a profile for it'],
  },
  {
    rule: 'retention below 60 s',
    change: (c) => (order(c).messageRetentionSeconds = 30),
    expected: ['queue "order" (development)', 'messageRetentionSeconds must be between 60 and 1209600 seconds', '30 was provided'],
  },
  {
    rule: 'retention above 14 days',
    change: (c) => (order(c).messageRetentionSeconds = 1_300_000),
    expected: ['queue "order" (development)', 'messageRetentionSeconds must be between 60 and 1209600 seconds', '1300000 was provided'],
  },
  {
    rule: 'visibility above 12 hours',
    change: (c) => (order(c).visibilityTimeoutSeconds = 50_000),
    expected: ['queue "order" (development)', 'visibilityTimeoutSeconds must be between 0 and 43200 seconds', '50000 was provided'],
  },
  {
    rule: 'delivery delay above 900 s',
    change: (c) => (order(c).deliveryDelaySeconds = 901),
    expected: ['queue "order" (development)', 'deliveryDelaySeconds must be between 0 and 900 seconds', '901 was provided'],
  },
  {
    rule: 'long polling above 20 s',
    change: (c) => (order(c).receiveWaitTimeSeconds = 25),
    expected: ['queue "order" (development)', 'receiveWaitTimeSeconds must be between 0 and 20 seconds', '25 was provided'],
  },
  {
    rule: 'message size below 1 KiB',
    change: (c) => (order(c).maximumMessageSizeBytes = 512),
    expected: ['queue "order" (development)', 'maximumMessageSizeBytes must be between 1024 and 1048576 bytes', '512 was provided'],
  },
  {
    rule: 'message size above 1 MiB',
    change: (c) => (order(c).maximumMessageSizeBytes = 2_097_152),
    expected: ['queue "order" (development)', 'maximumMessageSizeBytes must be between 1024 and 1048576 bytes', '2097152 was provided'],
  },
  {
    rule: 'maxReceiveCount below 1',
    change: (c) => (order(c).maxReceiveCount = 0),
    expected: ['queue "order" (development)', 'maxReceiveCount must be between 1 and 1000 receives', '0 was provided'],
  },
  {
    rule: 'standard DLQ retention not above the source retention',
    change: (c) => Object.assign(order(c), { messageRetentionSeconds: 14 * 86_400, deadLetterRetentionSeconds: 14 * 86_400 }),
    expected: ['queue "order" (development)', 'deadLetterRetentionSeconds must be greater than messageRetentionSeconds (1209600)', '1209600 was provided', 'raise the DLQ retention'],
  },
  {
    rule: 'DLQ retention out of range',
    change: (c) => (order(c).deadLetterRetentionSeconds = 10),
    expected: ['queue "order" (development)', 'deadLetterRetentionSeconds must be between 60 and 1209600 seconds', '10 was provided'],
  },
  {
    rule: 'content-based deduplication on a standard queue',
    change: (c) => (order(c).contentBasedDeduplication = true),
    expected: ['queue "order" (development)', 'contentBasedDeduplication applies only to FIFO queues', 'true was provided', 'set fifo: true or remove it'],
  },
  {
    rule: 'high-throughput FIFO on a standard queue',
    change: (c) => (order(c).highThroughputFifo = true),
    expected: ['queue "order" (development)', 'highThroughputFifo applies only to FIFO queues', 'set fifo: true'],
  },
  {
    rule: 'FIFO high throughput needs messageGroup deduplication scope',
    change: (c) => Object.assign(order(c), { fifo: true, fifoThroughputLimit: 'perMessageGroupId', deduplicationScope: 'queue' }),
    expected: ['queue "order" (development)', 'deduplicationScope must be "messageGroup" when fifoThroughputLimit is "perMessageGroupId"', '"queue" was provided', 'set highThroughputFifo: true'],
  },
  {
    rule: 'a number given as a string by a JavaScript caller',
    change: (c) => (order(c).visibilityTimeoutSeconds = '60'),
    expected: ['queue "order" (development)', 'visibilityTimeoutSeconds must be a whole number between 0 and 43200 seconds', '"60" (a string) was provided'],
  },
  {
    rule: 'a fraction where whole seconds are needed',
    change: (c) => (order(c).messageRetentionSeconds = 3600.5),
    expected: ['queue "order" (development)', 'messageRetentionSeconds must be a whole number', '3600.5 was provided'],
  },
  {
    rule: 'a boolean given as a string',
    change: (c) => (order(c).fifo = 'yes'),
    expected: ['queue "order" (development)', 'fifo must be true or false', '"yes" (a string) was provided'],
  },
  {
    rule: 'a misspelt field',
    change: (c) => (order(c).visibilityTimeout = 60),
    expected: ['queue "order" (development)', 'unknown field "visibilityTimeout"', 'did you mean "visibilityTimeoutSeconds"?'],
  },
  {
    rule: 'queues given as an object instead of an array',
    change: (c) => (c.topology.queues = { order: {} }),
    expected: ['topology (development)', 'queues must be an array', 'an object'],
  },
  {
    rule: 'an environment override for a queue the topology lacks',
    change: (c) => (c.environments.staging.queues = { ordr: { maxReceiveCount: 4 } }),
    expected: ['environment "staging"', 'queues.ordr must override one of the topology\'s queues (order, inventory, notification)', '"ordr" was provided'],
  },
  {
    rule: 'an environment override outside the SQS range',
    change: (c) => (c.environments.production.queues = { notification: { receiveWaitTimeSeconds: -1 } }),
    expected: ['queue "notification" (production)', 'receiveWaitTimeSeconds must be between 0 and 20 seconds', '-1 was provided'],
  },
  {
    rule: 'KMS data key reuse period out of range',
    change: (c) => (c.environments.production.encryption = { type: 'kms', dataKeyReusePeriodSeconds: 30 }),
    expected: ['environment "production"', 'encryption.dataKeyReusePeriodSeconds must be between 60 and 86400 seconds', '30 was provided'],
  },
  {
    rule: 'a malformed KMS key ARN',
    change: (c) => (c.environments.staging.encryption = { type: 'kms', keyArn: 'my-key' }),
    expected: ['environment "staging"', 'encryption.keyArn must be a KMS key or alias ARN', '"my-key" was provided', 'or leave it out'],
  },
  {
    rule: 'an unknown encryption type',
    change: (c) => (c.environments.staging.encryption = { type: 'aes' }),
    expected: ['environment "staging"', 'encryption.type must be one of "sqs-managed", "kms"', '"aes" was provided'],
  },
  {
    rule: 'an alarm period CloudWatch does not accept',
    change: (c) => (order(c).alarms = { depth: { periodSeconds: 45 } }),
    expected: ['queue "order" (development)', 'alarms.depth.periodSeconds must be 10, 30 or a multiple of 60 seconds', '45 was provided'],
  },
  {
    rule: 'an alarm with no evaluation periods',
    change: (c) => (c.environments.staging.alarms = { oldestMessageAge: { evaluationPeriods: 0 } }),
    expected: ['queue "order" (staging)', 'alarms.oldestMessageAge.evaluationPeriods must be between 1 and 100 periods', '0 was provided'],
  },
  {
    rule: 'an unknown treatMissingData value',
    change: (c) => (order(c).alarms = { deadLetterQueue: { treatMissingData: 'sometimes' } }),
    expected: ['queue "order" (development)', 'alarms.deadLetterQueue.treatMissingData must be one of "breaching", "notBreaching", "ignore", "missing"', '"sometimes" was provided'],
  },
  {
    rule: 'a statistic on a computed alarm (time to drain)',
    change: (c) => (order(c).alarms = { timeToDrain: { enabled: true, statistic: 'Maximum' } }),
    expected: ['queue "order" (development)', 'alarms.timeToDrain.statistic does not apply: timeToDrain is computed', 'remove it'],
  },
  {
    rule: 'an unknown function alarm',
    change: (c) => (c.environments.staging.functionDefaults = { alarms: { duration: { threshold: 1 } } }),
    expected: ['environment "staging"', 'functionDefaults alarms: unknown field "duration"', 'errorRate, throttles'],
  },
  {
    rule: 'a function alarm threshold below zero',
    change: (c) => (c.environments.production.functions = { 'inventory-service': { alarms: { throttles: { threshold: -1 } } } }),
    expected: ['function "inventory-service" (production)', 'alarms.throttles.threshold must be a number of at least 0', '-1 was provided'],
  },
  {
    rule: 'an SSM parameter path without a leading slash',
    change: (c) => (c.environments.production.parameters = { path: 'production/messaging' }),
    expected: ['environment "production"', 'parameters.path must start with "/"', '"production/messaging"', 'e.g. "/payments/production/messaging"'],
  },
  {
    rule: 'an SSM parameter path SSM reserves',
    change: (c) => (c.environments.production.parameters = { path: '/aws/messaging' }),
    expected: ['environment "production"', 'parameters.path must not start with "aws" or "ssm"', '"/aws/messaging"'],
  },
  {
    rule: 'an SSM parameter path too deep for <queue>/<what>',
    change: (c) => (c.environments.production.parameters = { path: '/a/b/c/d/e/f/g/h/i/j/k/l/m/n' }),
    expected: ['environment "production"', "parameters.path must leave room for <queue>/<what> within SSM's 15 levels (it makes 16)", 'use fewer segments'],
  },
  {
    rule: 'a dashboard switch that is not a boolean',
    change: (c) => (c.environments.development.dashboard = { enabled: 'yes' }),
    expected: ['environment "development"', 'dashboard.enabled must be true or false', '"yes" (a string) was provided'],
  },
  {
    rule: 'a malformed alert topic ARN',
    change: (c) => (c.environments.production.alerts = { topicArn: 'alerts' }),
    expected: ['environment "production"', 'alerts.topicArn must be an SNS topic ARN', '"alerts" was provided'],
  },
  {
    rule: 'a reserved tag key',
    change: (c) => (order(c).tags = { 'aws:team': 'x' }),
    expected: ['queue "order" (development)', 'tags key must be 1 to 128 letters, digits, spaces or _.:/=+-@ and not start with "aws:"', '"aws:team" was provided'],
  },
];

function configWith(change: (config: Mutable) => void): { topology: Topology; environments: EnvironmentProfiles; only?: string[] } {
  const config: Mutable = structuredClone({ topology: referenceTopology, environments: referenceEnvironments });
  change(config);
  return config;
}

describe('invalid configurations are rejected at synth, naming queue, environment, field, value and fix', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = path.join(mkdtempSync(path.join(tmpdir(), 'invalid-spec-')), 'cdktf.out');
  });
  afterEach(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));

  it('covers at least 20 rules', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.rule, c] as const))('%s', async (_rule, testCase) => {
    await expectRejectedAtSynth(configWith(testCase.change), outdir, testCase.expected);
  });

  it('reports every problem of every environment in one error', () => {
    const config = configWith((c) => {
      order(c).maxReceiveCount = 0;
      order(c).receiveWaitTimeSeconds = 30;
      c.environments.production.queues = { inventory: { deliveryDelaySeconds: 1000 } };
    });
    const error = (() => {
      try {
        buildGraphs(config.topology, config.environments);
      } catch (e) {
        return e as SpecValidationError;
      }
      throw new Error('expected a SpecValidationError');
    })();
    // 2 queue problems × 3 environments + 1 production override.
    expect(error.problems).toHaveLength(7);
    expect(error.message).toMatch(/^Invalid messaging spec: 7 problems\n {2}- /);
    expect(existsSync(outdir)).toBe(false);
  });
});
