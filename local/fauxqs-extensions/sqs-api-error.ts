/**
 * An error answer of the SQS JSON protocol, as the extensions raise it: code, message, HTTP status
 * and the legacy query-protocol code sent in `x-amzn-query-error` (SDK v3 names the error after
 * it, SQS being query-compatible). AWS's query codes carry the `AWS.SimpleQueueService.` prefix
 * only for SQS's own errors (`AWS.SimpleQueueService.NonExistentQueue`), not for common ones
 * (`InvalidParameterValue`, `ResourceNotFoundException`); install-move-tasks.ts sends them as given.
 */
export class SqsApiError extends Error {
  override readonly name = 'SqsApiError';
  readonly code: string;
  readonly statusCode: number;
  /** @default the code */
  readonly queryCode: string;

  constructor(code: string, message: string, statusCode = 400, queryCode = code) {
    super(message);
    this.code = code;
    this.statusCode = statusCode;
    this.queryCode = queryCode;
  }
}

/** `<parameter>` is required but absent. */
export function missingParameter(parameter: string): SqsApiError {
  return new SqsApiError('MissingParameter', `The request must contain the parameter ${parameter}.`);
}

/** The queue a QueueUrl names does not exist (SQS's own answer). */
export function queueDoesNotExist(): SqsApiError {
  return new SqsApiError('QueueDoesNotExist', 'The specified queue does not exist.', 400, 'AWS.SimpleQueueService.NonExistentQueue');
}
