/**
 * The reference topology (DESIGN §1): the order-processing pipeline, the same in every environment.
 *
 *   order-service ─▶ order queue ─▶ inventory-service ─▶ inventory queue ─▶ shipping-service
 *                                                 ─▶ notification queue ─▶ notification-service
 *
 * Queue settings are the seed values. The consumers' timeouts are chosen to fit the rule
 * "visibility ≥ 6 × function timeout": 60 s ≥ 6 × 10 s and 30 s ≥ 6 × 5 s.
 */
import path from 'node:path';
import { DAY, type Topology } from '../model';

const lambdaEntry = (service: string) => path.join(__dirname, '..', 'lambdas', service, 'handler.ts');

export const topology: Topology = {
  queues: [
    {
      name: 'order',
      description: 'OrderCreated events from order-service',
      visibilityTimeoutSeconds: 60,
      messageRetentionSeconds: 4 * DAY,
      receiveWaitTimeSeconds: 20,
      // Seed value; below the recommended 5 for Lambda consumers, so synth prints a warning.
      maxReceiveCount: 3,
      deadLetterRetentionSeconds: 14 * DAY,
    },
    {
      name: 'inventory',
      description: 'InventoryReserved events from inventory-service',
      visibilityTimeoutSeconds: 30,
      messageRetentionSeconds: 4 * DAY,
      receiveWaitTimeSeconds: 20,
      maxReceiveCount: 3,
      deadLetterRetentionSeconds: 14 * DAY,
    },
    {
      name: 'notification',
      description: 'ShipmentScheduled events from shipping-service',
      visibilityTimeoutSeconds: 30,
      messageRetentionSeconds: 1 * DAY,
      receiveWaitTimeSeconds: 20,
      maxReceiveCount: 5,
      deadLetterRetentionSeconds: 7 * DAY,
    },
  ],
  functions: [
    {
      name: 'order-service',
      description: 'Accepts orders and publishes OrderCreated',
      entry: lambdaEntry('order-service'),
      publishesTo: ['order'],
      // Callers sign requests with SigV4 (IAM auth); see README "How orders come in".
      functionUrl: true,
      timeoutSeconds: 10,
    },
    {
      name: 'inventory-service',
      description: 'Reserves stock for each order and publishes InventoryReserved',
      entry: lambdaEntry('inventory-service'),
      consumes: { queue: 'order', batchSize: 10 },
      publishesTo: ['inventory'],
      timeoutSeconds: 10,
    },
    {
      name: 'shipping-service',
      description: 'Schedules shipments and publishes ShipmentScheduled',
      entry: lambdaEntry('shipping-service'),
      consumes: { queue: 'inventory', batchSize: 10 },
      publishesTo: ['notification'],
      timeoutSeconds: 5,
    },
    {
      name: 'notification-service',
      description: 'Notifies customers that their order has shipped',
      entry: lambdaEntry('notification-service'),
      // At most 5 concurrent invocations: the e-mail provider downstream is rate-limited.
      consumes: { queue: 'notification', batchSize: 10, maximumConcurrency: 5 },
      timeoutSeconds: 5,
    },
  ],
};
