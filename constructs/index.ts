/**
 * The package's entry point: the cdktf constructs and their props. Each is usable on its own from
 * a plain definition (resolved and validated inside); `MessagingEnvironment` composes them for a
 * whole topology. The model (types, validation, the resource graph) is the subpath
 * `sqs-messaging-as-code/model`.
 */
export { QueuePair, type QueuePairProps, type QueuePairDefinitionProps, type QueuePairPieceProps, type RoleReference } from './queue-pair';
export { QueueAlarms, type QueueAlarmsProps, type QueueAlarmsPieceProps } from './queue-alarms';
export { FunctionAlarms, type FunctionAlarmsProps, type FunctionAlarmsPieceProps } from './function-alarms';
export { BundledFunction, type BundledFunctionProps, type BundledFunctionPieceProps, type StandaloneFunctionDefinition } from './bundled-function';
export { QueueConsumer, type ExistingFunction, type ExistingQueue, type QueueConsumerProps, type QueueConsumerPieceProps } from './queue-consumer';
export { MessagingEnvironment, type MessagingEnvironmentProps, type MessagingEnvironmentDescriptionProps, type MessagingEnvironmentGraphProps } from './messaging-environment';
export { addAwsProvider } from './aws-provider';
export { SpecValidationError } from '../model/problems';
export type {
  EnvironmentProfile,
  EnvironmentProfiles,
  FunctionDefinition,
  QueueDefinition,
  QueueSettings,
  Topology,
} from '../model/input';
export type { StandaloneEnvironment } from '../model/standalone';
export type { ResolvedFunction, ResolvedQueue } from '../model/resolve/resolved';
