/**
 * Environment variables of a function running locally: what the deployed function gets from the
 * spec (its variables and queue URLs), pointed at the embedded server, plus the variables the
 * Lambda runtime itself sets that handlers and Powertools read.
 */
import type { ResolvedFunction } from '../constructs/spec';
import { IDEMPOTENCY_DISABLED_VARIABLE } from '../lambdas/shared/idempotency-table';
import type { ProvisionedQueue } from './provision';

export interface LocalServerInfo {
  /** The embedded SQS server. */
  readonly endpoint: string;
  readonly region: string;
  /**
   * The embedded DynamoDB server holding the idempotency table (whose name and expiry come with
   * the function's variables). @default undefined: no table to reach, so the functions run with
   * idempotency off (`POWERTOOLS_IDEMPOTENCY_DISABLED`) and handle a repeated delivery again
   */
  readonly dynamoDbEndpoint?: string;
}

/** The `<QUEUE>_QUEUE_URL` variables of `fn`, filled with the provisioned queues' URLs. */
export function localQueueUrls(fn: ResolvedFunction, queues: readonly ProvisionedQueue[]): Record<string, string> {
  const queueUrls: Record<string, string> = {};
  for (const [variable, queueName] of Object.entries(fn.queueUrlVariables)) {
    const queue = queues.find((candidate) => candidate.spec.name === queueName);
    if (!queue) throw new Error(`function "${fn.functionName}" publishes to queue "${queueName}", which was not provisioned`);
    queueUrls[variable] = queue.queueUrl;
  }
  return queueUrls;
}

/**
 * @param queueUrls the `<QUEUE>_QUEUE_URL` variables (see {@link localQueueUrls})
 */
export function localFunctionEnvironment(
  fn: ResolvedFunction,
  queueUrls: Readonly<Record<string, string>>,
  server: LocalServerInfo,
): Record<string, string> {
  return {
    ...fn.environmentVariables,
    ...queueUrls,
    AWS_REGION: server.region,
    AWS_DEFAULT_REGION: server.region,
    // SDK v3 sends every SQS (DynamoDB) request here (service-specific endpoint variables).
    AWS_ENDPOINT_URL_SQS: server.endpoint,
    ...(server.dynamoDbEndpoint ? { AWS_ENDPOINT_URL_DYNAMODB: server.dynamoDbEndpoint } : { [IDEMPOTENCY_DISABLED_VARIABLE]: 'true' }),
    // Placeholders: the embedded server does not check signatures, and a developer's own
    // credentials (or profile) must never be used by a local function.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    // Lambda sets it for on-demand environments; Powertools reports cold starts only when it is.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
  };
}
