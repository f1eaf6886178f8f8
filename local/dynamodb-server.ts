/**
 * The embedded DynamoDB-compatible server of local mode (dynalite, from npm): holds the
 * idempotency table the functions remember processed events in. Started like the SQS server
 * (sqs-server.ts): its own process, 127.0.0.1, tables and items in LevelDB in the data directory
 * when there is one, otherwise in memory.
 */
import path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from './server-process';

/** Options for {@link startLocalDynamoDb} (the server accepts any region; it is the clients'). */
export type LocalDynamoDbOptions = EmbeddedServerOptions;

/** A running embedded DynamoDB-compatible server on loopback (functions get `AWS_ENDPOINT_URL_DYNAMODB`). */
export type LocalDynamoDb = EmbeddedServer;

const serverProcessScript = path.join(__dirname, 'dynamodb-server-process.mjs');

/** Starts the embedded DynamoDB server in a child process on 127.0.0.1 and resolves once it accepts requests. */
export function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  return startEmbeddedServer(serverProcessScript, 'embedded DynamoDB server', options);
}
