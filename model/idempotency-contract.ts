/**
 * What the functions expect of the idempotency table and their configuration: the facts the model
 * (table node, grants, function variables) and local mode build from. Pure data, no imports.
 *
 * The attribute names are Powertools Idempotency's (`@aws-lambda-powertools/idempotency`,
 * DynamoDBPersistenceLayer and PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS); idempotency.ts passes them
 * explicitly, so a Powertools default changing upstream cannot move them under a deployed table.
 */

/** Environment variable holding the table's name (required unless idempotency is disabled). */
export const IDEMPOTENCY_TABLE_NAME_VARIABLE = 'IDEMPOTENCY_TABLE_NAME';

/**
 * Environment variable holding how long a completed record is remembered, in whole seconds ≥ 1
 * (required unless idempotency is disabled). It should exceed the input queue's retention (plus
 * its DLQ's, where redrives are expected): a redelivery or redrive can arrive that late.
 */
export const IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE = 'IDEMPOTENCY_EXPIRY_SECONDS';

/** Powertools' own switch: `true` turns idempotency off (every delivery is handled). */
export const IDEMPOTENCY_DISABLED_VARIABLE = 'POWERTOOLS_IDEMPOTENCY_DISABLED';

/** The table's attributes as the persistence layer reads and writes them. */
export const IDEMPOTENCY_TABLE_ATTRIBUTES = {
  /** Partition key, type String (`S`): `<function name>#<base64 MD5 of the idempotency key>`. No sort key. */
  partitionKey: 'id',
  /** Epoch seconds (`N`) after which the record no longer counts: enable the table's TTL on it. */
  expiry: 'expiration',
  /** Epoch milliseconds (`N`) until which an `INPROGRESS` record locks its key: the invocation's deadline. */
  inProgressExpiry: 'in_progress_expiration',
  /** `INPROGRESS` or `COMPLETED` (`S`). */
  status: 'status',
  /** The operation's result (a map), stored with `COMPLETED`. */
  data: 'data',
  /** Hash of the validated part of the payload (`S`), where payload validation is on (order-service). */
  validation: 'validation',
} as const;

/**
 * DynamoDB actions the functions call on the table (GetItem only when the server does not return
 * the conflicting item with a failed conditional put). Nothing else: no Scan, Query or table access.
 */
export const IDEMPOTENCY_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;
