/** Resolves a single queue pair outside a topology, for teams importing `QueuePair` into their own stacks. */
import { ALERT_DEFAULTS, ENCRYPTION_DEFAULT } from './defaults';
import { resolveEnvironment } from './resolve-environment';
import type { EncryptionSettings, EnvironmentName, QueueAlarmSettings, QueueDefinition, ResolvedQueue } from './types';

export interface StandaloneQueueOptions {
  /** @default { type: 'sqs-managed' } */
  readonly encryption?: EncryptionSettings;
  /** Alarm settings applied before the queue's own. */
  readonly alarms?: QueueAlarmSettings;
  /** Tags on the pair's resources. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Resolves and validates one queue pair for an environment: defaults applied, every SQS rule
 * checked, a SpecValidationError thrown listing every problem.
 */
export function resolveQueueSpec(environment: EnvironmentName, definition: QueueDefinition, options: StandaloneQueueOptions = {}): ResolvedQueue {
  const profile = {
    encryption: options.encryption ?? ENCRYPTION_DEFAULT,
    alerts: ALERT_DEFAULTS,
    ...(options.alarms ? { alarms: options.alarms } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
  };
  const resolved = resolveEnvironment({ queues: [definition] }, { [environment]: profile } as never, environment);
  return resolved.queues[0]!;
}
