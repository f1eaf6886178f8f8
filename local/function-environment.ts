/**
 * Environment variables of a function running locally: the function node's own variables (its
 * queue URLs filled with the embedded server's), plus what the Lambda runtime sets that handlers
 * and Powertools read, pointed at the embedded server.
 */
import type { FunctionNode } from '../model';
import type { LocalReferences } from './local-references';
import { IDEMPOTENCY_DISABLED_VARIABLE } from '../model/idempotency-contract';

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

export function localFunctionEnvironment(node: FunctionNode, references: LocalReferences, server: LocalServerInfo): Record<string, string> {
  const properties = node.properties;
  const variables = references.resolve(properties.Environment.Variables) as Record<string, string>;
  return {
    ...variables,
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
    AWS_LAMBDA_FUNCTION_NAME: properties.FunctionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(properties.MemorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: String(references.resolve(properties.LoggingConfig.LogGroup)),
  };
}
