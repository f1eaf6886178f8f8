/** Forwarding one HTTP request to a server on loopback and relaying its answer: the core of the test proxies. */
import http from 'node:http';

/** An upstream answer, read in full. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Reads a request body in full. */
export async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends `request` (with `body`, which may differ from the original) to `target` and reads the answer. */
export function forwardRequest(target: URL, agent: http.Agent, request: http.IncomingMessage, body: Buffer): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const headers = { ...request.headers, host: target.host, 'content-length': String(body.byteLength) };
    delete headers['transfer-encoding'];
    const upstream = http.request({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

/** Writes an answer to the client (content-length recomputed; hop-by-hop headers dropped). */
export function replyWith(response: http.ServerResponse, status: number, headers: http.IncomingHttpHeaders, body: Buffer): void {
  const outgoing: http.OutgoingHttpHeaders = { ...headers, 'content-length': String(body.byteLength) };
  delete outgoing['transfer-encoding'];
  delete outgoing.connection;
  response.writeHead(status, outgoing).end(body);
}
