/**
 * The error code of an SQS or CloudFormation SDK error. SQS is query-compatible: the SDK names an
 * error after the legacy query code when the service sends one, which for SQS's own errors carries
 * the `AWS.SimpleQueueService.` prefix (`AWS.SimpleQueueService.NonExistentQueue` for
 * QueueDoesNotExist); this strips the prefix so callers compare plain codes.
 */
export function errorCode(error: unknown): string {
  const named = error as { name?: unknown; Code?: unknown } | undefined;
  const code = typeof named?.Code === 'string' ? named.Code : typeof named?.name === 'string' ? named.name : '';
  return code.replace(/^AWS\.SimpleQueueService\./, '');
}

/** True for "this queue does not exist" in either form. */
export function isMissingQueue(error: unknown): boolean {
  return ['QueueDoesNotExist', 'NonExistentQueue'].includes(errorCode(error));
}
