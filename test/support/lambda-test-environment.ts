/**
 * The per-file set-up the handler tests share: an embedded SQS server on loopback, a client for it,
 * a fault-injecting proxy in front of it (reset before each test), and the Lambda harnesses a test
 * started, all stopped after the file.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalSqs, type LocalSqs } from '../../local/sqs-server';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import type { LambdaHarness } from './lambda-harness';
import { testSqsClient } from './sqs-test-queues';

export interface LambdaTestEnvironment {
  readonly sqs: LocalSqs;
  readonly client: SQSClient;
  readonly proxy: FaultProxy;
  /** Registers a harness so it is stopped after the file; returns it. */
  track(harness: LambdaHarness): LambdaHarness;
}

export function useLambdaTestEnvironment(): LambdaTestEnvironment {
  let sqs: LocalSqs | undefined;
  let client: SQSClient | undefined;
  let proxy: FaultProxy | undefined;
  const harnesses: LambdaHarness[] = [];

  beforeAll(async () => {
    sqs = await startLocalSqs({ port: 0 });
    client = testSqsClient(sqs.endpoint, sqs.region);
    proxy = await startFaultProxy({ target: sqs.endpoint });
  });
  beforeEach(() => {
    proxy?.setFailEntry(undefined);
    proxy?.clearCalls();
  });
  afterAll(async () => {
    await Promise.all(harnesses.map((harness) => harness.stop()));
    await proxy?.close();
    client?.destroy();
    await sqs?.stop();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not running (used outside a test?)`);
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
    track(harness) {
      harnesses.push(harness);
      return harness;
    },
  };
}
