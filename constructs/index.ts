/**
 * Public entry point: the spec layer (types, defaults, validation) and the cdktf constructs.
 * Provider bindings are imported deep (`@cdktf/provider-aws/lib/<resource>`) and only in this folder.
 */
export * from './spec';
export { QueuePair, type QueuePairProps } from './queue-pair';
export { QueueAccessPolicies, type QueueAccessPoliciesProps, type RoleReference } from './queue-access-policies';
export { QueueAlarms, type QueueAlarmsProps } from './queue-alarms';
export { AlertTopic, type AlertTopicProps } from './alert-topic';
export { EnvironmentKey, type EnvironmentKeyProps } from './environment-key';
export { AwsAccount } from './aws-account';
export { addAwsProvider } from './aws-provider';
export { MessagingEnvironment, type MessagingEnvironmentProps } from './messaging-environment';
export { BundledFunction, type BundledFunctionProps } from './bundled-function';
export { QueueConsumer, type QueueConsumerProps } from './queue-consumer';
