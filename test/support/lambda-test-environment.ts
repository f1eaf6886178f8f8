/**
 * The per-file set-up the handler tests share: an embedded SQS server on loopback, a client for it,
 * a fault-injecting proxy in front of it (reset before each test), and the Lambda harnesses a test
 * started, all stopped after the file. With `{ dynamoDb: true }` also the embedded DynamoDB server,
 * a recording proxy in front of it (reset before each test) and fresh idempotency tables on demand.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { IDEMPOTENCY_TABLE_ATTRIBUTES } from '../../model/idempotency-contract';
import { createLocalDynamoDbClient } from '../../local/dynamodb-client';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynamodb-server';
import { ensureIdempotencyTable } from '../../local/idempotency-table';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';
import { startDynamoDbProxy, type DynamoDbProxy } from './dynamodb-proxy';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import type { HarnessIdempotency, LambdaHarness } from './lambda-harness';
import { testSqsClient } from './sqs-test-queues';

export interface LambdaTestEnvironment {
  readonly sqs: LocalSqs;
  readonly client: SQSClient;
  readonly proxy: FaultProxy;
  /** The embedded DynamoDB server (only with `{ dynamoDb: true }`). */
  readonly dynamoDb: LocalDynamoDb;
  /** A client for the DynamoDB server, for reading what the functions stored. */
  readonly dynamoDbClient: DynamoDBClient;
  /** The recording proxy the functions reach the DynamoDB server through. */
  readonly dynamoDbProxy: DynamoDbProxy;
  /** Creates a fresh idempotency table and returns what a harness needs to use it (through the proxy). */
  idempotencyTable(): Promise<HarnessIdempotency>;
  /** Registers a harness so it is stopped after the file; returns it. */
  track(harness: LambdaHarness): LambdaHarness;
}

export interface LambdaTestEnvironmentOptions {
  /** Start the embedded DynamoDB server too. @default false */
  readonly dynamoDb?: boolean;
}

let tableCounter = 0;

export function useLambdaTestEnvironment(options: LambdaTestEnvironmentOptions = {}): LambdaTestEnvironment {
  let sqs: LocalSqs | undefined;
  let client: SQSClient | undefined;
  let proxy: FaultProxy | undefined;
  let dynamoDb: LocalDynamoDb | undefined;
  let dynamoDbClient: DynamoDBClient | undefined;
  let dynamoDbProxy: DynamoDbProxy | undefined;
  const harnesses: LambdaHarness[] = [];

  beforeAll(async () => {
    sqs = await startLocalSqs({ port: 0 });
    client = testSqsClient(sqs.endpoint, sqs.region);
    proxy = await startFaultProxy({ target: sqs.endpoint });
    if (options.dynamoDb) {
      dynamoDb = await startLocalDynamoDb({ port: 0 });
      dynamoDbClient = createLocalDynamoDbClient(dynamoDb.endpoint, dynamoDb.region);
      dynamoDbProxy = await startDynamoDbProxy(dynamoDb.endpoint);
    }
  });
  beforeEach(() => {
    proxy?.setFailEntry(undefined);
    proxy?.clearCalls();
    dynamoDbProxy?.setHold(undefined);
    dynamoDbProxy?.clearCalls();
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((harness) => harness.stop()));
    await proxy?.close();
    client?.destroy();
    await sqs?.stop();
    await dynamoDbProxy?.close();
    dynamoDbClient?.destroy();
    await dynamoDb?.stop();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not running (used outside a test, or without { dynamoDb: true }?)`);
    return value;
  };
  return {
    get sqs() {
      return started(sqs, 'the embedded SQS server');
    },
    get client() {
      return started(client, 'the SQS client');
    },
    get proxy() {
      return started(proxy, 'the fault proxy');
    },
    get dynamoDb() {
      return started(dynamoDb, 'the embedded DynamoDB server');
    },
    get dynamoDbClient() {
      return started(dynamoDbClient, 'the DynamoDB client');
    },
    get dynamoDbProxy() {
      return started(dynamoDbProxy, 'the DynamoDB proxy');
    },
    async idempotencyTable() {
      const tableName = `test-idempotency-${++tableCounter}`;
      await ensureIdempotencyTable(started(dynamoDbClient, 'the DynamoDB client'), {
        tableName,
        partitionKey: IDEMPOTENCY_TABLE_ATTRIBUTES.partitionKey,
        timeToLiveAttribute: IDEMPOTENCY_TABLE_ATTRIBUTES.expiry,
      });
      return { endpoint: started(dynamoDbProxy, 'the DynamoDB proxy').endpoint, tableName };
    },
    track(harness) {
      harnesses.push(harness);
      return harness;
    },
  };
}
