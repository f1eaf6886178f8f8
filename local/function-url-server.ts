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
/**
 * A body over the limit is still read (and dropped) up to this size, so the 413 reaches a client
 * that is still sending and its keep-alive connection stays usable; beyond it the connection closes.
 */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

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
      // A body too large even to drain: answer, then close (the client is told by the header).
      if (!request.complete) response.setHeader('connection', 'close');
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

/** The request body, or undefined when it is over {@link MAX_BODY_BYTES} (read to the end and dropped). */
function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Stopping to read (or leaving a for-await early, which destroys the stream) would reset the
    // connection under a client that is still sending: the body is read to the end instead.
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAINED_BYTES) {
        request.pause();
        resolve(undefined);
      } else chunks.length = 0;
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
