/**
 * Package subpath `sqs-messaging-as-code/endpoints`: apps look their queue endpoints up at runtime,
 * from SSM Parameter Store when deployed and from a local run's outputs file locally.
 */
export { loadQueueEndpoints, LOCAL_OUTPUTS_VARIABLE, type LoadQueueEndpointsOptions, type ParameterReader, type QueueEndpoints } from './load-queue-endpoints';
