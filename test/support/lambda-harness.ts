/**
 * Runs a bundled handler (built with bundleLambda) in a local Lambda execution environment
 * (LambdaProcess) with the environment local mode gives it — the development spec's variables and
 * timeout — and keeps its log lines.
 */
import { bundleLambda, type LambdaBundle } from '../../bundling/bundle-lambda';
import { buildGraph, isNodeRef, type FunctionPiece, type ResolvedFunction } from '../../model';
import { IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE, IDEMPOTENCY_TABLE_NAME_VARIABLE } from '../../model/idempotency-contract';
import { localFunctionEnvironment } from '../../local/function-environment';
import { LocalReferences } from '../../local/local-references';
import { LambdaProcess, type InvokeOutcome } from '../../local/lambda-process';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';

/** The four services of the reference topology. */
export type ServiceName = 'order-service' | 'inventory-service' | 'shipping-service' | 'notification-service';

/** The service as the development environment resolves it (entry, timeout, variables). */
export function developmentSpecOf(service: ServiceName): ResolvedFunction {
  return developmentPieceOf(service).settings;
}

/** The service's piece of the development graph (its settings and nodes). */
export function developmentPieceOf(service: ServiceName): FunctionPiece {
  const graph = buildGraph(topology, environments, 'development');
  const piece = graph.pieces.functions.find((candidate) => candidate.settings.name === service);
  if (!piece) throw new Error(`no function "${service}" in the topology`);
  return piece;
}

/** Bundles `lambdas/<service>/handler.ts` to its default folder (cached per test file). */
export function bundleService(service: ServiceName): LambdaBundle {
  return bundleLambda(developmentSpecOf(service).entry);
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
  /** The idempotency table the function uses. @default none: idempotency off (as local mode without a DynamoDB server) */
  readonly idempotency?: HarnessIdempotency;
  /** Function timeout in ms (e.g. short, to make an attempt time out). @default the development spec's */
  readonly timeoutMs?: number;
  /**
   * Bundle this entry instead of the service's handler (a test fixture built on the shared runtime),
   * keeping the service's name, variables and timeout. @default `lambdas/<service>/handler.ts`
   */
  readonly entry?: string;
}

/** Where the function finds its idempotency table. */
export interface HarnessIdempotency {
  /** The DynamoDB server (or a proxy in front of it). */
  readonly endpoint: string;
  readonly tableName: string;
  /** `IDEMPOTENCY_EXPIRY_SECONDS`. @default 3600 (longer than any test) */
  readonly expirySeconds?: number;
}

/** A parsed JSON log line (Powertools Logger output, or an EMF metrics document). */
export type LogRecord = Record<string, unknown> & { level?: string; message?: string };

/** A running function and what it logged. */
export class LambdaHarness {
  readonly process: LambdaProcess;
  readonly lines: string[] = [];

  constructor(readonly options: HarnessOptions) {
    const { settings: fn, nodes } = developmentPieceOf(options.service);
    // The function's queue URL variables point at the queues the test provisioned, its table name
    // at the test's table (or a name no server has, when the test runs without idempotency).
    const { idempotency } = options;
    const references = new LocalReferences(buildGraph(topology, environments, 'development'), options.region);
    for (const [variable, value] of Object.entries(nodes.function.properties.Environment.Variables)) {
      if (!isNodeRef(value)) continue;
      const local = value.$attribute === 'url' ? options.queueUrls?.[variable] : idempotency?.tableName;
      references.set(value.$ref, { [value.$attribute]: local ?? `unset:${variable}` });
    }
    this.process = new LambdaProcess({
      functionName: fn.functionName,
      bundleFile: bundleLambda(options.entry ?? fn.entry).file,
      timeoutMs: options.timeoutMs ?? fn.timeoutSeconds * 1000,
      environment: {
        ...localFunctionEnvironment(nodes.function, references, {
          endpoint: options.endpoint,
          region: options.region,
          ...(idempotency ? { dynamoDbEndpoint: idempotency.endpoint } : {}),
        }),
        ...(idempotency
          ? {
              [IDEMPOTENCY_TABLE_NAME_VARIABLE]: idempotency.tableName,
              [IDEMPOTENCY_EXPIRY_SECONDS_VARIABLE]: String(idempotency.expirySeconds ?? 3_600),
            }
          : {}),
        // The tests read INFO-level lines; development's DEBUG would only add noise.
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'INFO',
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
