/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of the embedded SQS server. Every request
 * is forwarded unchanged except SendMessageBatch (AWS JSON protocol): entries chosen by
 * `failEntry` are removed from the forwarded request and added to the response's `Failed` list
 * with the given code, so the caller sees exactly what SQS returns for a partially failed batch,
 * and the real server stores only the entries that "succeeded".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest, readBody, replyWith } from './http-forward';

/** A SendMessageBatch entry as it travels on the wire. */
export interface WireBatchEntry {
  readonly Id: string;
  readonly MessageBody: string;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
  readonly MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
}

/** How to fail one entry (becomes a `BatchResultErrorEntry`). */
export interface InjectedFailure {
  readonly code: string;
  readonly message: string;
  readonly senderFault: boolean;
}

/** One SendMessageBatch request seen by the proxy. */
export interface ObservedBatchCall {
  /** 1-based number of this call. */
  readonly call: number;
  readonly queueUrl: string;
  readonly entries: readonly WireBatchEntry[];
  /** Ids the proxy failed instead of forwarding. */
  readonly failedIds: readonly string[];
}

export interface FaultProxyOptions {
  /** The real server, `http://127.0.0.1:<port>`. */
  readonly target: string;
  /** Decides per entry whether to fail it; `call` is the 1-based SendMessageBatch call number. @default fail nothing */
  readonly failEntry?: (entry: WireBatchEntry, call: number) => InjectedFailure | undefined;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` of the proxy: give it to clients as their endpoint. */
  readonly endpoint: string;
  /** Every SendMessageBatch request, in arrival order. */
  readonly calls: readonly ObservedBatchCall[];
  /** Replaces the fault rule (e.g. between tests). */
  setFailEntry(rule: FaultProxyOptions['failEntry']): void;
  /** Forgets recorded calls. */
  clearCalls(): void;
  close(): Promise<void>;
}

const SEND_MESSAGE_BATCH_TARGET = 'AmazonSQS.SendMessageBatch';

/** Starts the proxy on 127.0.0.1, port 0. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  let failEntry = options.failEntry;
  const calls: ObservedBatchCall[] = [];
  // No keep-alive towards the server: nothing lingers after close().
  const agent = new http.Agent({ keepAlive: false });

  const forward = (request: http.IncomingMessage, body: Buffer) => forwardRequest(target, agent, request, body);

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const body = await readBody(request);
    if (request.headers['x-amz-target'] !== SEND_MESSAGE_BATCH_TARGET) {
      const upstream = await forward(request, body);
      replyWith(response, upstream.status, upstream.headers, upstream.body);
      return;
    }

    const input = JSON.parse(body.toString('utf8')) as { QueueUrl: string; Entries: WireBatchEntry[] };
    const call = calls.length + 1;
    const injected: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
    const forwarded = input.Entries.filter((entry) => {
      const failure = failEntry?.(entry, call);
      if (failure) injected.push({ Id: entry.Id, Code: failure.code, Message: failure.message, SenderFault: failure.senderFault });
      return !failure;
    });
    calls.push({ call, queueUrl: input.QueueUrl, entries: input.Entries, failedIds: injected.map((entry) => entry.Id) });

    let status = 200;
    let headers: http.IncomingHttpHeaders = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-proxy-${call}` };
    let result: { Successful?: unknown[]; Failed?: unknown[] } = { Successful: [], Failed: [] };
    if (forwarded.length > 0) {
      const upstream = await forward(request, Buffer.from(JSON.stringify({ ...input, Entries: forwarded })));
      status = upstream.status;
      headers = upstream.headers;
      if (status !== 200) {
        replyWith(response, status, headers, upstream.body);
        return;
      }
      result = JSON.parse(upstream.body.toString('utf8')) as typeof result;
    }
    const merged = { ...result, Successful: result.Successful ?? [], Failed: [...(result.Failed ?? []), ...injected] };
    replyWith(response, status, headers, Buffer.from(JSON.stringify(merged)));
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`fault proxy: ${error.message}`);
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
    setFailEntry(rule) {
      failEntry = rule;
    },
    clearCalls() {
      calls.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
