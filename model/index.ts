/**
 * The model (package subpath `sqs-messaging-as-code/model`): the typed description of a messaging
 * topology and its environments → validated settings → one provider-neutral resource graph per
 * environment. Pure TypeScript: no cdktf, no YAML. Defaults, limits, naming and every rule live here.
 */
export type * from './input';
export type * from './resolve/resolved';
export { buildGraph, buildGraphs, resolveEnvironment, resolveEnvironments, withScaledTimings } from './build';
export { standaloneConsumer, standaloneFunction, standaloneQueuePair, type StandaloneEnvironment, type StandaloneFunction, type StandaloneQueuePair } from './standalone';
export { distinctWarnings } from './resolve/environment';
export { requiredVisibilitySeconds, type ConsumedQueueFacts } from './resolve/function';
export { describeTimingChanges, scaleTimings, TIME_DIVISOR, type TimingChange } from './resolve/time-scale';
export { formatWarning, SpecValidationError } from './problems';
export * from './defaults';
export * from './limits';
export * from './naming';
export type * from './graph/nodes';
export { isCreated, nodeOfType } from './graph/nodes';
export type { EnvironmentGraph, FunctionPiece, QueuePiece } from './graph/environment';
export type { QueuePairNodes } from './graph/queue-pair';
export { eventSourceMappingNode, type EventSourceMappingInput, type FunctionNodes } from './graph/function';
export { functionAlarmNodes, queueAlarmNodes, type AlarmActions } from './graph/alarms';
export * from './graph/values';
export * from './graph/access';
export { POLICY_SIDS, POLICY_VERSION, queueConsumePolicy, queueSendPolicy, type PolicyDocument, type PolicyStatement } from './graph/policies';
export { QUEUE_OUTPUTS, ALERT_TOPIC_OUTPUT_NAME, type QueueOutputKind } from './graph/outputs';
export { pairsFromCloudFormationOutputs, pairsFromTerraformOutputs, type OutputQueuePair, type QueueAddress } from './read-outputs';
export * from './metrics';
