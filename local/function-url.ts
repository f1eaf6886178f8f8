/**
 * Lambda function URL payloads (format 2.0), as AWS builds the event from an HTTP request and
 * turns the function's return value into the HTTP response
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface HttpRequest {
  readonly method: string;
  /** Path with query string, e.g. `/orders?x=1`. */
  readonly url: string;
  /** Header names in lower case (Node's IncomingMessage gives them so). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer;
  readonly sourceIp: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

/** The event a function URL delivers for `request`. */
export function functionUrlEvent(request: HttpRequest, now = new Date()): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = request.url.split('?', 2);
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter((entry): entry is [string, string | readonly string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name.toLowerCase(), typeof value === 'string' ? value : value.join(',')]),
  );
  const queryStringParameters = rawQueryString ? Object.fromEntries(new URLSearchParams(rawQueryString)) : undefined;
  const contentType = headers['content-type'] ?? '';
  // AWS base64-encodes bodies it does not recognise as text.
  const isText = contentType === '' || /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript))/.test(contentType);
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(request.headers.cookie ? { cookies: String(request.headers.cookie).split('; ') } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length > 0 ? { body: isText ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: request.body.length > 0 && !isText,
  };
}

/**
 * The HTTP response for a function's return value: an object with `statusCode` is used as is;
 * anything else is a 200 with the value as a JSON body (a string is sent as it is).
 */
export function functionUrlResponse(result: unknown): HttpResponse {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const response = result as { statusCode: unknown; headers?: Record<string, unknown>; body?: unknown; isBase64Encoded?: boolean };
    const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([name, value]) => [name, String(value)]));
    const body = typeof response.body === 'string' ? (response.isBase64Encoded ? Buffer.from(response.body, 'base64') : response.body) : '';
    return { statusCode: Number(response.statusCode) || 200, headers, body };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
  };
}
