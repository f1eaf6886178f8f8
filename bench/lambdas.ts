/**
 * Lambda bundle benchmark: for each service, the bundle size (raw and zipped), its cold module
 * load time (median over fresh `node` processes importing the bundle) and the per-message handler
 * overhead on a 10-record batch (median warm invocation ÷ 10, publishing to the embedded SQS
 * server), with idempotency off and on (the embedded DynamoDB server holding the table): new
 * events, and the same events again (replays). Bounded: about 45 s on a 2-core machine.
 *
 * Run alone: `npx tsx -e "require('./bench/lambdas').benchLambdas()"`
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleLambda, type LambdaBundle } from '../bundling/bundle-lambda';
import { zipDirectory } from '../bundling/zip-bundle';
import { IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE, IDEMPOTENCY_TABLE_ATTRIBUTES, IDEMPOTENCY_TABLE_NAME_VARIABLE } from '../model/idempotency-contract';
import { createLocalDynamoDbClient } from '../local/dynamodb-client';
import { startLocalDynamoDb } from '../local/dynamodb-server';
import { ensureIdempotencyTable } from '../local/idempotency-table';
import { startLocalSqs } from '../local/sqs-server';
import { LambdaHarness, type ServiceName } from '../test/support/lambda-harness';
import { inventoryReservedBody, orderCreatedBody, shipmentScheduledBody } from '../test/support/order-fixtures';
import { sqsTestEvent } from '../test/support/sqs-test-events';
import { createTestQueue, testSqsClient } from '../test/support/sqs-test-queues';
import { median, printTable } from './report';

/** Fresh processes per bundle for the cold-load median. */
const COLD_LOAD_RUNS = 9;
/** Warm-up invocations before measuring (JIT, connection pool). */
const WARM_UP_INVOCATIONS = 5;
/** Measured warm invocations. */
const MEASURED_INVOCATIONS = 30;
/** Records (or orders) per measured invocation. */
const BATCH_SIZE = 10;

const SERVICES: readonly ServiceName[] = ['order-service', 'inventory-service', 'shipping-service', 'notification-service'];
/** Idempotency table of the benchmark (on the embedded DynamoDB server). */
const BENCH_TABLE = 'bench-idempotency';
/** Remembered for a day: longer than the benchmark. */
const BENCH_EXPIRY_SECONDS = 86_400;
const projectRoot = path.resolve(__dirname, '..');

interface BundleFigures {
  readonly service: ServiceName;
  readonly bundle: LambdaBundle;
  readonly buildMs: number;
  readonly zippedBytes: number;
  readonly coldLoadMs: number;
  /** Idempotency off (POWERTOOLS_IDEMPOTENCY_DISABLED). */
  perMessageMs?: number;
  /** Idempotency on, every event new. */
  perMessageIdempotentMs?: number;
  /** Idempotency on, the same events again: answered from the table. */
  perMessageReplayMs?: number;
}


/** Median time to import the bundle in a fresh Node process (module load + init, no invocation). */
function coldLoadMs(bundle: LambdaBundle, service: ServiceName): number {
  const script = `const started = performance.now(); await import(${JSON.stringify(bundle.file)}); process.stdout.write(String(performance.now() - started));`;
  const env = {
    PATH: process.env.PATH,
    ENVIRONMENT: 'development',
    POWERTOOLS_SERVICE_NAME: service,
    POWERTOOLS_METRICS_NAMESPACE: 'SqsMessaging',
    AWS_REGION: 'us-east-1',
    ORDER_QUEUE_URL: 'http://127.0.0.1:1/000000000000/order',
    INVENTORY_QUEUE_URL: 'http://127.0.0.1:1/000000000000/inventory',
    NOTIFICATION_QUEUE_URL: 'http://127.0.0.1:1/000000000000/notification',
    // Idempotency on, as deployed (init creates the client and persistence layer; no request yet).
    [IDEMPOTENCY_TABLE_NAME_VARIABLE]: BENCH_TABLE,
    [IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE]: String(BENCH_EXPIRY_SECONDS),
  };
  const samples: number[] = [];
  for (let run = 0; run < COLD_LOAD_RUNS; run++) {
    const result = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { env, encoding: 'utf8', timeout: 20_000 });
    if (result.status !== 0) throw new Error(`loading ${service} failed: ${result.stderr}`);
    samples.push(Number(result.stdout));
  }
  return median(samples);
}

/** The event (or order request) of BATCH_SIZE items for `service`. */
function batchFor(service: ServiceName, round: number): unknown {
  const ids = Array.from({ length: BATCH_SIZE }, (_, index) => `bench-${round}-${index}`);
  const records = (body: (orderId: string) => string) =>
    sqsTestEvent(`arn:aws:sqs:us-east-1:000000000000:development-bench`, ids.map((orderId) => ({ body: body(orderId), correlationId: `corr-${orderId}` })));
  switch (service) {
    case 'order-service':
      return { orders: ids.map((orderId) => ({ orderId, customerId: 'customer-1', items: [{ sku: 'sku-1', quantity: 1 }] })), correlationId: `bench-${round}` };
    case 'inventory-service':
      return records((orderId) => orderCreatedBody(orderId));
    case 'shipping-service':
      return records((orderId) => inventoryReservedBody(orderId));
    case 'notification-service':
      return records((orderId) => shipmentScheduledBody(orderId));
  }
}

/** Median warm invocation time over a BATCH_SIZE batch, divided by BATCH_SIZE, in ms. */
async function perMessageMs(service: ServiceName, harness: LambdaHarness): Promise<number> {
  for (let round = 0; round < WARM_UP_INVOCATIONS; round++) await harness.invokeOk(batchFor(service, -1 - round));
  const samples: number[] = [];
  for (let round = 0; round < MEASURED_INVOCATIONS; round++) {
    const event = batchFor(service, round);
    const started = performance.now();
    const result = await harness.invokeOk<{ batchItemFailures?: unknown[]; statusCode?: number }>(event);
    samples.push(performance.now() - started);
    if ((result.batchItemFailures?.length ?? 0) > 0 || (result.statusCode !== undefined && result.statusCode !== 202)) {
      throw new Error(`${service}: benchmark batch failed: ${JSON.stringify(result)}`);
    }
  }
  return median(samples) / BATCH_SIZE;
}

function printFigures(figures: readonly BundleFigures[]): void {
  const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));
  printTable(
    ['service', 'bundle bytes', 'zipped bytes', 'build ms', `cold load ms (median of ${COLD_LOAD_RUNS})`],
    figures.map((figure) => [
      figure.service,
      figure.bundle.bytes.toLocaleString('en-US'),
      figure.zippedBytes.toLocaleString('en-US'),
      figure.buildMs.toFixed(0),
      figure.coldLoadMs.toFixed(1),
    ]),
  );
  console.log(`\nper message ms (${BATCH_SIZE}-batch, median of ${MEASURED_INVOCATIONS}):`);
  printTable(
    ['service', 'idempotency off', 'on, new events', 'on, same events again', 'cost of idempotency'],
    figures.map((figure) => [
      figure.service,
      ms(figure.perMessageMs),
      ms(figure.perMessageIdempotentMs),
      ms(figure.perMessageReplayMs),
      figure.perMessageMs === undefined || figure.perMessageIdempotentMs === undefined ? '-' : `+${ms(figure.perMessageIdempotentMs - figure.perMessageMs)}`,
    ]),
  );
}

/** Runs the benchmark and prints a table (console.log). */
export async function benchLambdas(): Promise<void> {
  console.log(`\n## Lambda bundles (esbuild ESM, minified, target node24; zipped = deterministic zip of index.mjs + index.mjs.map; run on ${process.version})`);
  const zipFolder = mkdtempSync(path.join(os.tmpdir(), 'bench-lambdas-'));
  const figures: BundleFigures[] = [];
  try {
    for (const service of SERVICES) {
      const started = performance.now();
      const bundle = bundleLambda(path.join(projectRoot, 'lambdas', service, 'handler.ts'));
      const buildMs = performance.now() - started;
      const zippedBytes = zipDirectory(bundle.directory, path.join(zipFolder, `${service}.zip`)).bytes;
      figures.push({ service, bundle, buildMs, zippedBytes, coldLoadMs: coldLoadMs(bundle, service) });
    }

    const sqs = await startLocalSqs({ port: 0 });
    const client = testSqsClient(sqs.endpoint, sqs.region);
    const dynamoDb = await startLocalDynamoDb({ port: 0 });
    const dynamoDbClient = createLocalDynamoDbClient(dynamoDb.endpoint, dynamoDb.region);
    const harnesses: LambdaHarness[] = [];
    try {
      await ensureIdempotencyTable(dynamoDbClient, {
        tableName: BENCH_TABLE,
        partitionKey: IDEMPOTENCY_TABLE_ATTRIBUTES.partitionKey,
        timeToLiveAttribute: IDEMPOTENCY_TABLE_ATTRIBUTES.expiry,
      });
      const queueUrls: Record<string, string> = {};
      for (const [variable, prefix] of [['ORDER_QUEUE_URL', 'order'], ['INVENTORY_QUEUE_URL', 'inventory'], ['NOTIFICATION_QUEUE_URL', 'notification']] as const) {
        queueUrls[variable] = (await createTestQueue(client, sqs, `bench-${prefix}`)).url;
      }
      const start = (service: ServiceName, idempotent: boolean) => {
        const harness = new LambdaHarness({
          service,
          endpoint: sqs.endpoint,
          region: sqs.region,
          queueUrls,
          logLevel: 'WARN',
          ...(idempotent ? { idempotency: { endpoint: dynamoDb.endpoint, tableName: BENCH_TABLE, expirySeconds: BENCH_EXPIRY_SECONDS } } : {}),
        });
        harnesses.push(harness);
        return harness;
      };
      for (const figure of figures) {
        figure.perMessageMs = await perMessageMs(figure.service, start(figure.service, false));
        const idempotent = start(figure.service, true);
        figure.perMessageIdempotentMs = await perMessageMs(figure.service, idempotent);
        figure.perMessageReplayMs = await perMessageMs(figure.service, idempotent);
      }
    } finally {
      await Promise.all(harnesses.map((harness) => harness.stop()));
      client.destroy();
      dynamoDbClient.destroy();
      await sqs.stop();
      await dynamoDb.stop();
    }
  } finally {
    rmSync(zipFolder, { recursive: true, force: true });
  }
  printFigures(figures);
  console.log(
    `per message = median warm invocation (round trip through the local execution environment, incl. one SendMessageBatch to the embedded server for publishers) ÷ ${BATCH_SIZE}; order-service: ${BATCH_SIZE} orders per direct invocation`,
  );
  console.log(
    'idempotency on = Powertools Idempotency against the embedded DynamoDB server (dynalite): per new event a conditional PutItem + an UpdateItem; ' +
      'per repeat a failed PutItem + a GetItem (AWS returns the item with the failed put, so 1 call there); replays of publishers still publish the stored event, order-service does not',
  );
}

if (require.main === module) {
  benchLambdas().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
