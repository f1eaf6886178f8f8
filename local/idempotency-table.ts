/**
 * Creating the idempotency table on a DynamoDB endpoint (the embedded server in local mode) from a
 * plain description: partition key only (String), on-demand billing, TTL on the expiry attribute.
 * Safe to run again: an existing table with the same key is kept as it is. The SDK is loaded on
 * first use (an optional peer dependency, see runtime-requirements.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadDynamoDbSdk } from './runtime-requirements';
import { sleep } from './sleep';

/** What the table must look like. */
export interface IdempotencyTableDescription {
  /** Table name, 3–255 characters of `[A-Za-z0-9_.-]`. */
  readonly tableName: string;
  /** Partition key attribute (type String); Powertools' is `id`. */
  readonly partitionKey: string;
  /** Attribute holding the expiry in epoch seconds; TTL is enabled on it. Powertools' is `expiration`. */
  readonly timeToLiveAttribute: string;
}

/** What {@link ensureIdempotencyTable} did. */
export interface EnsuredTable {
  readonly tableName: string;
  readonly tableArn: string;
  /** False when the table already existed. */
  readonly created: boolean;
  /**
   * `enabled`: TTL is on for the attribute. `unsupported`: the server has no TTL API (dynalite); the
   * functions still ignore expired records (Powertools compares the expiry itself), only the
   * clean-up of old items is missing.
   */
  readonly timeToLive: 'enabled' | 'unsupported';
}

/** Longest wait for the table to become ACTIVE. @default 60 s (AWS usually takes a few seconds) */
const ACTIVE_TIMEOUT_MS = 60_000;

/**
 * Creates the table unless it exists, waits until it is ACTIVE and enables TTL on the expiry
 * attribute (where the server supports it).
 * @throws when an existing table of that name has a different key schema
 */
export async function ensureIdempotencyTable(client: DynamoDBClient, table: IdempotencyTableDescription): Promise<EnsuredTable> {
  const { CreateTableCommand, ResourceInUseException } = loadDynamoDbSdk();
  let created = true;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.tableName,
        AttributeDefinitions: [{ AttributeName: table.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }
  const description = await waitUntilActive(client, table.tableName);
  const keySchema = (description.KeySchema ?? []).map((key) => `${key.AttributeName}:${key.KeyType}`).join(',');
  if (keySchema !== `${table.partitionKey}:HASH`) {
    throw new Error(
      `table "${table.tableName}" exists with key schema ${keySchema || '(none)'}, but the idempotency table needs partition key "${table.partitionKey}" (String) and no sort key; delete it or choose another table name`,
    );
  }
  return {
    tableName: table.tableName,
    tableArn: description.TableArn ?? '',
    created,
    timeToLive: await enableTimeToLive(client, table),
  };
}

async function waitUntilActive(client: DynamoDBClient, tableName: string) {
  const { DescribeTableCommand } = loadDynamoDbSdk();
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return Table;
    if (Date.now() > deadline) throw new Error(`table "${tableName}" is still ${Table?.TableStatus ?? 'unknown'} after ${ACTIVE_TIMEOUT_MS / 1000} s`);
    await sleep(delayMs);
  }
}

async function enableTimeToLive(client: DynamoDBClient, table: IdempotencyTableDescription): Promise<EnsuredTable['timeToLive']> {
  const { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } = loadDynamoDbSdk();
  const { TimeToLiveDescription: current } = await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
  const on = current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING';
  if (on && current?.AttributeName === table.timeToLiveAttribute) return 'enabled';
  try {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: table.tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute } }),
    );
    return 'enabled';
  } catch (error) {
    if ((error as Error).name === 'UnknownOperationException') return 'unsupported';
    throw error;
  }
}
