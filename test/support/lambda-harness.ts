/**
 * Runs a bundled handler (built with bundleLambda) in a local Lambda execution environment
 * (LambdaProcess) with the environment variables the spec layer gives it, and keeps its log lines.
 */
import path from 'node:path';
import { bundleLambda, type LambdaBundle } from '../../constructs/bundling/bundle-lambda';
import { LambdaProcess, type InvokeOutcome } from '../../local/lambda-process';
import { TEST_CREDENTIALS } from './sqs-test-queues';

/** The four services of the reference topology. */
export type ServiceName = 'order-service' | 'inventory-service' | 'shipping-service' | 'notification-service';

/** Timeouts from stacks/topology.ts. */
export const SERVICE_TIMEOUT_MS: Readonly<Record<ServiceName, number>> = {
  'order-service': 10_000,
  'inventory-service': 10_000,
  'shipping-service': 5_000,
  'notification-service': 5_000,
};

const projectRoot = path.resolve(__dirname, '..', '..');

/** Bundles `lambdas/<service>/handler.ts` to its default folder (cached per test file). */
export function bundleService(service: ServiceName): LambdaBundle {
  return bundleLambda(path.join(projectRoot, 'lambdas', service, 'handler.ts'));
}

export interface HarnessOptions {
  readonly service: ServiceName;
  /** SQS endpoint the function talks to (the server, or a fault proxy in front of it). */
  readonly endpoint: string;
  readonly region: string;
  /** `<QUEUE>_QUEUE_URL` variables, e.g. `{ INVENTORY_QUEUE_URL: … }`. */
  readonly queueUrls?: Readonly<Record<string, string>>;
  /** @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** A parsed JSON log line (Powertools Logger output, or an EMF metrics document). */
export type LogRecord = Record<string, unknown> & { level?: string; message?: string };

/** A running function and what it logged. */
export class LambdaHarness {
  readonly process: LambdaProcess;
  readonly lines: string[] = [];

  constructor(readonly options: HarnessOptions) {
    const bundle = bundleService(options.service);
    this.process = new LambdaProcess({
      functionName: `development-${options.service}`,
      bundleFile: bundle.file,
      timeoutMs: SERVICE_TIMEOUT_MS[options.service],
      environment: {
        // What the spec layer sets (constructs/spec/resolve-function.ts) …
        ENVIRONMENT: 'development',
        POWERTOOLS_SERVICE_NAME: options.service,
        POWERTOOLS_METRICS_NAMESPACE: 'SqsMessaging',
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...options.queueUrls,
        // … and what Lambda (or local mode) provides.
        // Powertools reports cold starts (log key, ColdStart metric) only for on-demand environments.
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_SQS: options.endpoint,
      },
      onLogLine: (line) => this.lines.push(line),
    });
  }

  invoke(event: unknown): Promise<InvokeOutcome> {
    return this.process.invoke(event);
  }

  /** Invokes and returns the handler's result, failing the test when the invocation errored. */
  async invokeOk<T>(event: unknown): Promise<T> {
    const outcome = await this.process.invoke(event);
    if (!outcome.ok) throw new Error(`${this.options.service} invocation failed: ${outcome.error.name}: ${outcome.error.message}\n${this.lines.join('\n')}`);
    return outcome.result as T;
  }

  /** Log lines that are JSON objects, parsed. */
  records(): LogRecord[] {
    return this.lines.flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null ? [parsed as LogRecord] : [];
      } catch {
        return [];
      }
    });
  }

  /** Powertools log lines whose message starts with `prefix`. */
  logsStartingWith(prefix: string): LogRecord[] {
    return this.records().filter((record) => typeof record.message === 'string' && record.message.startsWith(prefix));
  }

  clearLogs(): void {
    this.lines.length = 0;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
