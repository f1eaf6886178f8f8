/** Pieces of the local mode: --fast timings, function URL events, responses and body limit, failure injection. */
import { Agent, request as httpRequest } from 'node:http';
import { buildGraph, resolveEnvironment, VISIBILITY_TO_TIMEOUT_FACTOR, withScaledTimings } from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { FailureInjector } from '../../local/failure-injection';
import { functionUrlEvent, functionUrlResponse } from '../../local/function-url';
import { startFunctionUrlServer } from '../../local/function-url-server';
import type { SQSRecord } from 'aws-lambda';

test('--fast divides timeouts by 10 and keeps visibility >= 6 x timeout + window for every consumer', () => {
  const development = resolveEnvironment(topology, environments, 'development');
  const { graph, changes } = withScaledTimings(buildGraph(topology, environments, 'development'));
  const environment = graph.settings;
  expect(environment.queues.map((queue) => [queue.name, queue.visibilityTimeoutSeconds])).toEqual([
    ['order', 6],
    ['inventory', 6],
    ['notification', 6],
  ]);
  expect(environment.functions.map((fn) => fn.timeoutSeconds)).toEqual([1, 1, 1, 1]);
  for (const fn of environment.functions.filter((candidate) => candidate.consumes)) {
    const queue = environment.queues.find((candidate) => candidate.name === fn.consumes!.queue)!;
    expect(queue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(VISIBILITY_TO_TIMEOUT_FACTOR * fn.timeoutSeconds + fn.consumes!.maximumBatchingWindowSeconds);
  }
  expect(changes).toContainEqual({ what: 'queue', name: 'development-order-queue', field: 'visibilityTimeoutSeconds', from: 60, to: 6 });
  // The graph is rebuilt from the scaled settings: its nodes carry the shorter timings.
  expect(graph.pieces.queues[0]!.nodes.queue.properties.VisibilityTimeout).toBe(6);
  expect(graph.pieces.functions[0]!.nodes.function.properties.Timeout).toBe(1);
  // The input settings are not modified.
  expect(development.queues[0]!.visibilityTimeoutSeconds).toBe(60);
});

test('a function URL request becomes a payload 2.0 event, and responses map back to HTTP', () => {
  const event = functionUrlEvent(
    { method: 'POST', url: '/orders?dry=1', headers: { 'Content-Type': 'application/json', 'x-correlation-id': 'c-1' }, body: Buffer.from('{"a":1}'), sourceIp: '127.0.0.1' },
    new Date('2025-11-23T10:00:00Z'),
  );
  expect(event).toMatchObject({
    version: '2.0',
    routeKey: '$default',
    rawPath: '/orders',
    rawQueryString: 'dry=1',
    headers: { 'content-type': 'application/json', 'x-correlation-id': 'c-1' },
    queryStringParameters: { dry: '1' },
    requestContext: { http: { method: 'POST', path: '/orders', sourceIp: '127.0.0.1' }, timeEpoch: Date.parse('2025-11-23T10:00:00Z') },
    body: '{"a":1}',
    isBase64Encoded: false,
  });
  expect(functionUrlEvent({ method: 'POST', url: '/', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([1, 2]), sourceIp: '::1' })).toMatchObject({ body: 'AQI=', isBase64Encoded: true });

  expect(functionUrlResponse({ statusCode: 400, headers: { 'x-correlation-id': 'c-1' }, body: '{"m":1}' })).toEqual({ statusCode: 400, headers: { 'x-correlation-id': 'c-1' }, body: '{"m":1}' });
  expect(functionUrlResponse({ accepted: 1 })).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"accepted":1}' });
});

test('failure injection fails about the requested share, and never breaks FIFO group order', () => {
  const record = (id: string, group?: string) => ({ messageId: id, attributes: group ? { MessageGroupId: group } : {} }) as unknown as SQSRecord;
  const standard = Array.from({ length: 1_000 }, (_, i) => record(`m-${i}`));
  let seed = 1;
  const random = () => ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647);
  const { injected, delivered } = new FailureInjector({ rate: 0.2, random }).apply(standard);
  expect(injected.length + delivered.length).toBe(1_000);
  expect(injected.length).toBeGreaterThan(150);
  expect(injected.length).toBeLessThan(250);

  // Fail the first draw only: the later records of group "a" must be failed with it.
  const draws = [0, 0.9, 0.9, 0.9];
  const fifo = [record('a1', 'a'), record('b1', 'b'), record('a2', 'a'), record('b2', 'b')];
  const result = new FailureInjector({ rate: 0.5, random: () => draws.shift()! }).apply(fifo);
  expect(result.injected).toEqual(['a1', 'a2']);
  expect(result.delivered.map((r) => r.messageId)).toEqual(['b1', 'b2']);
  expect(() => new FailureInjector({ rate: 1.5 })).toThrow('failure injection rate must be between 0 and 1, but 1.5 was provided');
});

test('a 7 MB body to the local function URL gets a clean 413, and the keep-alive connection stays usable', async () => {
  // The invoke callback stands in for the function (this test is about the HTTP side only).
  const server = await startFunctionUrlServer({ invoke: async () => ({ ok: true, result: { statusCode: 202, body: 'accepted' }, durationMs: 0, coldStart: false }) });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: Buffer) =>
    new Promise<{ status: number; reused: boolean; text: string }>((resolve, reject) => {
      const request = httpRequest(server.url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, reused: request.reusedSocket, text }));
      });
      request.on('error', reject);
      request.end(body);
    });
  try {
    const tooLarge = await post(Buffer.alloc(7 * 1024 * 1024, 'a'));
    expect(tooLarge).toMatchObject({ status: 413, text: '{"message":"Request Entity Too Large"}' });
    const next = await post(Buffer.from('{"orderId":"o-1"}'));
    expect(next).toEqual({ status: 202, reused: true, text: 'accepted' });
  } finally {
    agent.destroy();
    await server.stop();
  }
});
