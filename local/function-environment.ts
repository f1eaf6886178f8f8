/**
 * Environment variables of a function running locally: what the deployed function gets from the
 * spec (its variables and queue URLs), pointed at the embedded server, plus the variables the
 * Lambda runtime itself sets that handlers and Powertools read.
 */
import type { ResolvedFunction } from '../constructs/spec';
import type { ProvisionedQueue } from './provision';

export interface LocalServerInfo {
  readonly endpoint: string;
  readonly region: string;
}

export function localFunctionEnvironment(
  fn: ResolvedFunction,
  queues: readonly ProvisionedQueue[],
  server: LocalServerInfo,
): Record<string, string> {
  const queueUrls: Record<string, string> = {};
  for (const [variable, queueName] of Object.entries(fn.queueUrlVariables)) {
    const queue = queues.find((candidate) => candidate.spec.name === queueName);
    if (!queue) throw new Error(`function "${fn.functionName}" publishes to queue "${queueName}", which was not provisioned`);
    queueUrls[variable] = queue.queueUrl;
  }
  return {
    ...fn.environmentVariables,
    ...queueUrls,
    AWS_REGION: server.region,
    AWS_DEFAULT_REGION: server.region,
    // SDK v3 sends every SQS request here (service-specific endpoint variable).
    AWS_ENDPOINT_URL_SQS: server.endpoint,
    // Placeholders: the embedded server does not check signatures, and a developer's own
    // credentials (or profile) must never be used by a local function.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
  };
}
