/**
 * What differs between development, staging and production. Queue settings are the same in all
 * three (development runs what production runs); what changes is how loudly alarms speak,
 * encryption, log retention, function sizing and tags. Override a queue for one environment with
 * `queues: { order: { messageRetentionSeconds: 86_400 } }`.
 */
import type { EnvironmentProfiles } from '../model';

export const environments: EnvironmentProfiles = {
  development: {
    // Alarms exist (so they can be seen and tested) but notify nobody.
    alerts: { actionsEnabled: false },
    alarms: {
      // Development traffic is small: a backlog of 100 already means a stuck consumer.
      depth: { threshold: 100 },
      oldestMessageAge: { threshold: 900 },
    },
    logRetentionDays: 7,
    functionDefaults: { logLevel: 'DEBUG' },
    tags: { CostCenter: 'engineering' },
  },
  staging: {
    alerts: { actionsEnabled: true },
    alarms: {
      depth: { threshold: 500 },
      oldestMessageAge: { threshold: 600 },
    },
    logRetentionDays: 14,
    tags: { CostCenter: 'engineering' },
  },
  production: {
    // Seed thresholds (the defaults); notify on alarm and on recovery.
    alerts: { actionsEnabled: true, okActions: true },
    // A customer-managed key per environment: key usage is auditable in CloudTrail and access can
    // be revoked by key policy.
    encryption: { type: 'kms' },
    logRetentionDays: 90,
    functionDefaults: { memorySizeMb: 512, tracing: true },
    // The record of handled events guards customers from duplicate effects: restorable, and not
    // deleted by accident.
    idempotency: { pointInTimeRecovery: true, deletionProtection: true },
    tags: { CostCenter: 'operations' },
  },
};
