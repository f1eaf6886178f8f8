/**
 * Exactly-once effects on at-least-once delivery, with Powertools Idempotency persisted in the
 * environment's DynamoDB table. One {@link IdempotentOperations} per execution environment.
 *
 * What Powertools does per call (IdempotencyHandler + DynamoDBPersistenceLayer):
 * 1. a conditional PutItem writes `INPROGRESS` for the key, with `expiration` (now + expiry) and
 *    `in_progress_expiration` (the invocation's deadline, from the registered Lambda context). It
 *    succeeds when the key is new, its record expired, or it is `INPROGRESS` past its deadline (the
 *    attempt that wrote it timed out or crashed);
 * 2. the put failing means the key is known: `COMPLETED` → the stored result is returned without
 *    running the operation; `INPROGRESS` → `IdempotencyAlreadyInProgressError`;
 * 3. otherwise the operation runs; its result is saved (UpdateItem → `COMPLETED`, the result in
 *    `data`); if it throws, the record is deleted (DeleteItem) so a retry runs it again, and the
 *    error is re-thrown.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDbClient } from './dynamodb-client';
import { requiredEnv } from './env';
import {
  IDEMPOTENCY_DISABLED_VARIABLE,
  IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE,
  IDEMPOTENCY_TABLE_ATTRIBUTES,
  IDEMPOTENCY_TABLE_NAME_VARIABLE,
} from '../../model/idempotency-contract';
import { logger } from './logger';

/** Which part of the payload is the key, and which part must match on a repeat. */
export interface IdempotencyKeyOptions {
  /** JMESPath of the key in the payload, e.g. `eventId`. */
  readonly keyPath: string;
  /**
   * JMESPath of the part that must be the same when the key repeats; a mismatch throws
   * `IdempotencyValidationError`. @default undefined (no check)
   */
  readonly validationPath?: string;
}

/** What one idempotent call gave. */
export interface OnceOutcome<T> {
  /** The operation's result: from this call, or the stored result of the call that completed first. */
  readonly result: T;
  /** True when the key was already done and the operation did not run again. */
  readonly replayed: boolean;
}

/** Runs operations at most once per key (within the expiry), remembering their results. */
export interface IdempotentOperations {
  /** False when `POWERTOOLS_IDEMPOTENCY_DISABLED` is set: every call runs its operation. */
  readonly enabled: boolean;
  /** Call at the start of every invocation: the in-progress lock then expires with its deadline. */
  registerLambdaContext(context: Context): void;
  /**
   * Runs `operation` unless `payload`'s key was done before (then returns the stored result).
   * @throws IdempotencyAlreadyInProgressError when another attempt holds the key (see {@link isInProgressElsewhere})
   * @throws whatever `operation` throws (the key is then forgotten), or `IdempotencyPersistenceLayerError`
   */
  run<T>(payload: object, operation: () => Promise<T>): Promise<OnceOutcome<T>>;
}

/** True for the error of a key whose earlier attempt still holds its in-progress lock. */
export function isInProgressElsewhere(error: unknown): error is IdempotencyAlreadyInProgressError {
  return error instanceof IdempotencyAlreadyInProgressError;
}

/** True when a repeated key came with a different payload (see {@link IdempotencyKeyOptions.validationPath}). */
export function isPayloadMismatch(error: unknown): error is IdempotencyValidationError {
  return error instanceof IdempotencyValidationError;
}

/** True when the idempotency table could not be read or written (the cause is the SDK's error). */
export function isStoreFailure(error: unknown): error is IdempotencyPersistenceLayerError {
  return error instanceof IdempotencyPersistenceLayerError;
}

/** `IDEMPOTENCY_EXPIRY_SECONDS` as a whole number of seconds ≥ 1. */
function expirySecondsFromEnv(): number {
  const text = requiredEnv(IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE);
  const seconds = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seconds) || seconds < 1) {
    throw new Error(
      `environment variable ${IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE} must be a whole number of seconds of at least 1, but "${text}" was provided; ` +
        'set it longer than the input queue\'s retention (e.g. 432000 for a 4-day queue)',
    );
  }
  return seconds;
}

/**
 * Builds the idempotent runner of this function. Call at module scope (once per execution
 * environment): a missing or invalid `IDEMPOTENCY_TABLE_NAME` / `IDEMPOTENCY_EXPIRY_SECONDS` fails
 * the init with a clear message, unless `POWERTOOLS_IDEMPOTENCY_DISABLED` turns idempotency off.
 *
 * Keys are stored as `<AWS_LAMBDA_FUNCTION_NAME>#<hash of the key>` (Powertools' prefix), so two
 * functions consuming the same event never share a record.
 */
export function createIdempotentOperations(options: IdempotencyKeyOptions): IdempotentOperations {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: options.keyPath,
    ...(options.validationPath ? { payloadValidationJmesPath: options.validationPath } : {}),
    throwOnNoIdempotencyKey: true,
  });
  // Powertools reads the switch (accepting true/1/yes/on); the expiry is only needed when it is on.
  if (!config.isEnabled()) {
    logger.warn(`idempotency is off (${IDEMPOTENCY_DISABLED_VARIABLE}): a repeated delivery is handled again`);
    return {
      enabled: false,
      registerLambdaContext: () => {},
      run: async (_payload, operation) => ({ result: await operation(), replayed: false }),
    };
  }
  config.expiresAfterSeconds = expirySecondsFromEnv();
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: requiredEnv(IDEMPOTENCY_TABLE_NAME_VARIABLE),
    awsSdkV3Client: dynamoDbClient,
    keyAttr: IDEMPOTENCY_TABLE_ATTRIBUTES.partitionKey,
    expiryAttr: IDEMPOTENCY_TABLE_ATTRIBUTES.expiry,
    inProgressExpiryAttr: IDEMPOTENCY_TABLE_ATTRIBUTES.inProgressExpiry,
    statusAttr: IDEMPOTENCY_TABLE_ATTRIBUTES.status,
    dataAttr: IDEMPOTENCY_TABLE_ATTRIBUTES.data,
    validationKeyAttr: IDEMPOTENCY_TABLE_ATTRIBUTES.validation,
  });
  return {
    enabled: true,
    registerLambdaContext: (context) => config.registerLambdaContext(context),
    async run<T>(payload: object, operation: () => Promise<T>): Promise<OnceOutcome<T>> {
      let ran = false;
      // A wrapper per call, so `ran` tells this call's replay from its first run (cheap: makeIdempotent
      // only captures its options; the persistence layer and config are shared).
      const once = makeIdempotent(
        async (_payload: unknown) => {
          ran = true;
          return operation();
        },
        { persistenceStore, config },
      );
      const result = (await once(payload)) as T;
      return { result, replayed: !ran };
    },
  };
}
