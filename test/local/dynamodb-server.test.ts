/**
 * The embedded DynamoDB server (dynalite in its own process) and the idempotency table created on
 * it: loopback only, in memory or on disk, idempotent table creation, DynamoDB's conditional-write
 * behaviour the persistence layer relies on, and no process outliving its parent.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_TABLE_ATTRIBUTES } from '../../model/idempotency-contract';
import { createLocalDynamoDbClient } from '../../local/dynamodb-client';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynamodb-server';
import { ensureIdempotencyTable, type IdempotencyTableDescription } from '../../local/idempotency-table';
import { waitFor } from './support';

const table = (tableName: string): IdempotencyTableDescription => ({
  tableName,
  partitionKey: IDEMPOTENCY_TABLE_ATTRIBUTES.partitionKey,
  timeToLiveAttribute: IDEMPOTENCY_TABLE_ATTRIBUTES.expiry,
});

let server: LocalDynamoDb | undefined;
let client: DynamoDBClient | undefined;

beforeAll(async () => {
  server = await startLocalDynamoDb({ port: 0 });
  client = createLocalDynamoDbClient(server.endpoint, server.region);
});
afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

test('listens on 127.0.0.1 on a free port', () => {
  expect(server!.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(server!.port).toBeGreaterThan(0);
});

test('the idempotency table is created once (on-demand, partition key id), and again is a no-op', async () => {
  const first = await ensureIdempotencyTable(client!, table('development-idempotency'));
  const second = await ensureIdempotencyTable(client!, table('development-idempotency'));

  expect(first).toMatchObject({ tableName: 'development-idempotency', created: true });
  expect(first.tableArn).toMatch(/:table\/development-idempotency$/);
  expect(second).toMatchObject({ created: false, tableArn: first.tableArn });
  // dynalite has no UpdateTimeToLive: reported, not failed (Powertools checks the expiry itself).
  expect(first.timeToLive).toBe('unsupported');
});

test('an existing table with another key schema is an error naming the table and the fix', async () => {
  await ensureIdempotencyTable(client!, { ...table('wrong-key'), partitionKey: 'pk' });
  await expect(ensureIdempotencyTable(client!, table('wrong-key'))).rejects.toThrow(
    /table "wrong-key" exists with key schema pk:HASH, but the idempotency table needs partition key "id" \(String\) and no sort key; delete it or choose another table name/,
  );
});

test('a conditional put on an existing key fails as DynamoDB does (what the in-progress lock relies on)', async () => {
  await ensureIdempotencyTable(client!, table('conditional'));
  const put = () =>
    client!.send(
      new PutItemCommand({
        TableName: 'conditional',
        Item: { id: { S: 'fn#key' }, status: { S: 'INPROGRESS' } },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  await put();
  await expect(put()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
});

test('with a data directory, tables and items survive a restart', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dynamodb-data-'));
  try {
    const first = await startLocalDynamoDb({ dataDir });
    const firstClient = createLocalDynamoDbClient(first.endpoint, first.region);
    await ensureIdempotencyTable(firstClient, table('persisted'));
    await firstClient.send(new PutItemCommand({ TableName: 'persisted', Item: { id: { S: 'kept' }, status: { S: 'COMPLETED' } } }));
    firstClient.destroy();
    await first.stop();

    const second = await startLocalDynamoDb({ dataDir });
    const secondClient = createLocalDynamoDbClient(second.endpoint, second.region);
    try {
      expect(await ensureIdempotencyTable(secondClient, table('persisted'))).toMatchObject({ created: false });
      const { Item } = await secondClient.send(new GetItemCommand({ TableName: 'persisted', Key: { id: { S: 'kept' } } }));
      expect(Item).toEqual({ id: { S: 'kept' }, status: { S: 'COMPLETED' } });
    } finally {
      secondClient.destroy();
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the server process stops when the process that started it dies', async () => {
  const script = `require('./local/dynamodb-server').startLocalDynamoDb().then((s) => console.log(s.pid));`;
  const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const serverPid = await new Promise<number>((resolve, reject) => {
      createInterface({ input: parent.stdout! }).once('line', (line) => resolve(Number(line)));
      parent.once('exit', (code) => reject(new Error(`parent exited early (code ${code})`)));
    });
    expect(existsSync(`/proc/${serverPid}`)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor('the server process gone', () => !existsSync(`/proc/${serverPid}`), 10_000);
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
  }
});
