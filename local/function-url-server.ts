/**
 * A local stand-in for a Lambda function URL: an HTTP server on 127.0.0.1 that turns each request
 * into a function URL event for the bundled function and its return value into the response.
 * No IAM auth locally (loopback only); a function error is a 502, as AWS answers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { functionUrlEvent, functionUrlResponse } from './function-url';
import type { InvokeOutcome } from './lambda-process';

/** Function URL requests are limited to a 6 MB payload. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface FunctionUrlServer {
  /** e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  stop(): Promise<void>;
}

export interface FunctionUrlServerOptions {
  readonly invoke: (event: unknown) => Promise<InvokeOutcome>;
  /** TCP port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
}

export async function startFunctionUrlServer(options: FunctionUrlServerOptions): Promise<FunctionUrlServer> {
  const server: Server = createServer((request, response) => {
    void handle(request).then(({ statusCode, headers, body }) => {
      response.writeHead(statusCode, headers);
      response.end(body);
    });
  });
  async function handle(request: IncomingMessage) {
    try {
      const body = await readBody(request);
      if (body === undefined) return plain(413, 'Request Entity Too Large');
      const outcome = await options.invoke(
        functionUrlEvent({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body, sourceIp: request.socket.remoteAddress ?? '127.0.0.1' }),
      );
      return outcome.ok ? functionUrlResponse(outcome.result) : plain(502, 'Internal Server Error');
    } catch {
      return plain(502, 'Internal Server Error');
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function plain(statusCode: number, message: string) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
