/**
 * A topology and profiles that exercise every per-environment shape the CloudFormation renderer
 * handles, beyond the reference: a high-throughput FIFO queue, a bring-your-own KMS key and SNS
 * topic in one environment, a created key in another, SQS-managed SSE in the third, an alarm
 * disabled in one environment, reserved concurrency and an environment-only tag.
 * (The ARNs are AWS's documentation examples, not a real account.)
 */
import type { EnvironmentProfiles, Topology } from '../../model';
import { topology as reference } from '../../stacks/topology';

const entry = (service: string) => reference.functions!.find((fn) => fn.name === service)!.entry;

export const variantTopology: Topology = {
  queues: [
    { name: 'order', fifo: true, highThroughputFifo: true, contentBasedDeduplication: true, visibilityTimeoutSeconds: 60, maxReceiveCount: 5 },
    { name: 'inventory', visibilityTimeoutSeconds: 30, maxReceiveCount: 5 },
  ],
  functions: [
    { name: 'order-service', entry: entry('order-service'), publishesTo: ['order'], functionUrl: true, timeoutSeconds: 10 },
    { name: 'inventory-service', entry: entry('inventory-service'), consumes: { queue: 'order', batchSize: 5 }, publishesTo: ['inventory'], timeoutSeconds: 10 },
    {
      name: 'shipping-service',
      entry: entry('shipping-service'),
      consumes: { queue: 'inventory', batchSize: 100, maximumBatchingWindowSeconds: 2, maximumConcurrency: 3 },
      timeoutSeconds: 4,
    },
  ],
};

export const variantEnvironments: EnvironmentProfiles = {
  development: {
    encryption: { type: 'kms', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', dataKeyReusePeriodSeconds: 600 },
    alerts: { topicArn: 'arn:aws:sns:us-east-1:111122223333:shared-alerts', actionsEnabled: false },
    alarms: { oldestMessageAge: { enabled: false } },
    queues: { inventory: { visibilityTimeoutSeconds: 45 } },
    functions: { 'shipping-service': { reservedConcurrency: 2 } },
    logRetentionDays: 3,
  },
  staging: {
    encryption: { type: 'kms' },
    alerts: { okActions: true },
    tags: { Team: 'orders' },
  },
  production: {
    functionDefaults: { tracing: true, memorySizeMb: 1024 },
    alarms: { depth: { threshold: 5000, datapointsToAlarm: 1 } },
  },
};
