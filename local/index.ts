/**
 * The local emulator's public API: start an environment of your own topology on this machine and
 * run your handlers against real (embedded) queues with AWS's batch semantics. See
 * local-environment.ts; everything else in this folder is how it works inside.
 */
export {
  startLocalEnvironment,
  DEFAULT_LOCAL_REGION,
  type LocalEnvironment,
  type LocalEnvironmentEvent,
  type LocalEnvironmentOptions,
  type LocalQueue,
} from './local-environment';
export type { InvocationReport, MappingStats } from './event-source-mapping';
export type { Settlement } from './batch-response';
export type { InvokeOutcome, EnvironmentExit } from './lambda-process';
export { invocationRecord, type InvocationOutcome, type InvocationRecord } from './invocation-log';
export { peekMessages } from './peek';
export { readProgress, isSettled, type QueueProgress } from './progress';
export { createLocalSqsClient, LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS } from './sqs-client';
export { LocalRequirementError } from './runtime-requirements';
