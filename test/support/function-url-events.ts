/** Lambda function URL events (payload format 2.0, IAM auth) as AWS delivers them. */
import { randomUUID } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';

export interface FunctionUrlRequest {
  /** @default 'POST' */
  readonly method?: string;
  /** Raw body text. @default none */
  readonly body?: string;
  /** Extra headers (lower-case names, as function URLs deliver them). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Send the body base64-encoded, as function URLs do for non-text content types. @default false */
  readonly base64?: boolean;
}

const URL_ID = 'abcdefghijklmnopqrstuvwxyz012345';

/** The event a function URL with `AuthType: AWS_IAM` passes for a SigV4-signed request. */
export function functionUrlEvent(request: FunctionUrlRequest = {}): LambdaFunctionURLEvent {
  const method = request.method ?? 'POST';
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      host: `${URL_ID}.lambda-url.us-east-1.on.aws`,
      'user-agent': 'aws-sdk-js/3 test',
      'x-amz-date': now.toISOString().replace(/[-:]|\.\d{3}/g, ''),
      'x-amzn-trace-id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...request.headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: URL_ID,
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLEKEY',
          accountId: '111122223333',
          callerId: 'AROAEXAMPLEROLE:checkout',
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: 'arn:aws:sts::111122223333:assumed-role/checkout/checkout',
          userId: 'AROAEXAMPLEROLE:checkout',
        },
      },
      domainName: `${URL_ID}.lambda-url.us-east-1.on.aws`,
      domainPrefix: URL_ID,
      http: { method, path: '/', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'aws-sdk-js/3 test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body === undefined
      ? { isBase64Encoded: false }
      : { body: request.base64 ? Buffer.from(request.body).toString('base64') : request.body, isBase64Encoded: request.base64 ?? false }),
    // @types/aws-lambda's LambdaFunctionURLEvent has no requestContext.authorizer, which IAM-auth URLs deliver.
  } as unknown as LambdaFunctionURLEvent;
}
