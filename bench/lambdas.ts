/**
 * Lambda bundle benchmark: for each service, the bundle size (raw and zipped), its cold module
 * load time (median over fresh `node` processes importing the bundle) and the per-message handler
 * overhead on a 10-record batch (median warm invocation ÷ 10, publishing to the embedded SQS
 * server). Bounded: about 30 s on a 2-core machine.
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
const projectRoot = path.resolve(__dirname, '..');

interface BundleFigures {
  readonly service: ServiceName;
  readonly bundle: LambdaBundle;
  readonly buildMs: number;
  readonly zippedBytes: number;
  readonly coldLoadMs: number;
  perMessageMs?: number;
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
  printTable(
    ['service', 'bundle bytes', 'zipped bytes', 'build ms', `cold load ms (median of ${COLD_LOAD_RUNS})`, `per message ms (${BATCH_SIZE}-batch, median of ${MEASURED_INVOCATIONS})`],
    figures.map((figure) => [
      figure.service,
      figure.bundle.bytes.toLocaleString('en-US'),
      figure.zippedBytes.toLocaleString('en-US'),
      figure.buildMs.toFixed(0),
      figure.coldLoadMs.toFixed(1),
      figure.perMessageMs === undefined ? '-' : figure.perMessageMs.toFixed(2),
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
    const harnesses: LambdaHarness[] = [];
    try {
      const queueUrls: Record<string, string> = {};
      for (const [variable, prefix] of [['ORDER_QUEUE_URL', 'order'], ['INVENTORY_QUEUE_URL', 'inventory'], ['NOTIFICATION_QUEUE_URL', 'notification']] as const) {
        queueUrls[variable] = (await createTestQueue(client, sqs, `bench-${prefix}`)).url;
      }
      for (const figure of figures) {
        const harness = new LambdaHarness({ service: figure.service, endpoint: sqs.endpoint, region: sqs.region, queueUrls, logLevel: 'WARN' });
        harnesses.push(harness);
        figure.perMessageMs = await perMessageMs(figure.service, harness);
      }
    } finally {
      await Promise.all(harnesses.map((harness) => harness.stop()));
      client.destroy();
      await sqs.stop();
    }
  } finally {
    rmSync(zipFolder, { recursive: true, force: true });
  }
  printFigures(figures);
  console.log(
    `per message = median warm invocation (round trip through the local execution environment, incl. one SendMessageBatch to the embedded server for publishers) ÷ ${BATCH_SIZE}; order-service: ${BATCH_SIZE} orders per direct invocation`,
  );
}

if (require.main === module) {
  benchLambdas().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
