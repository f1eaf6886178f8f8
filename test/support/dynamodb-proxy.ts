/**
 * An HTTP proxy on 127.0.0.1 in front of the embedded DynamoDB server that records every call and
 * can hold answers back: a held request still reaches the server (its write happens) but its caller
 * never hears back, like a function whose call hangs until its invocation times out or is killed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest, readBody, replyWith } from './http-forward';

/** One DynamoDB call seen by the proxy. */
export interface ObservedDynamoDbCall {
  /** `PutItem`, `GetItem`, `UpdateItem`, `DeleteItem`, … (from `X-Amz-Target`). */
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** True when its answer was held back. */
  readonly held: boolean;
  /** True once the server has answered it (a held call's write has then happened). */
  readonly landed: boolean;
}

/** Decides per call whether to hold its answer; `index` counts calls of that operation from 1. */
export type HoldRule = (operation: string, index: number) => boolean;

export interface DynamoDbProxy {
  /** `http://127.0.0.1:<port>`: give it to the functions as `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  readonly calls: readonly ObservedDynamoDbCall[];
  /** Holds the answers of the calls `rule` picks from now on (`undefined`: hold nothing more). */
  setHold(rule: HoldRule | undefined): void;
  /** Forgets recorded calls and restarts the per-operation count. */
  clearCalls(): void;
  /** Calls of `operation` so far. */
  count(operation: string): number;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/** Starts the proxy on 127.0.0.1, port 0, in front of `target` (`http://127.0.0.1:<port>`). */
export async function startDynamoDbProxy(target: string): Promise<DynamoDbProxy> {
  const upstreamUrl = new URL(target);
  const agent = new http.Agent({ keepAlive: false });
  const calls: ObservedDynamoDbCall[] = [];
  let hold: HoldRule | undefined;

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const body = await readBody(request);
    const operation = String(request.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
    const index = calls.filter((call) => call.operation === operation).length + 1;
    const held = hold?.(operation, index) ?? false;
    const call = { operation, input: JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>, held, landed: false };
    calls.push(call);
    const upstream = await forwardRequest(upstreamUrl, agent, request, body);
    call.landed = true;
    // A held answer is never sent: the caller times out, or its process dies first.
    if (!held) replyWith(response, upstream.status, upstream.headers, upstream.body);
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`dynamodb proxy: ${error.message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    setHold(rule) {
      hold = rule;
    },
    clearCalls() {
      calls.length = 0;
    },
    count(operation) {
      return calls.filter((call) => call.operation === operation).length;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
