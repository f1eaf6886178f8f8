/**
 * Task handles: opaque to callers, but carrying the source queue ARN, so CancelMessageMoveTask can
 * tell a malformed handle (InvalidParameterValue) from one naming a queue that does not exist
 * (ResourceNotFoundException), as AWS does. Base64 of a small JSON object.
 */

export interface TaskHandleParts {
  readonly taskId: string;
  readonly sourceArn: string;
}

export function encodeTaskHandle(parts: TaskHandleParts): string {
  return Buffer.from(JSON.stringify({ taskId: parts.taskId, sourceArn: parts.sourceArn }), 'utf8').toString('base64');
}

/** The parts of `handle`, or undefined when it is not a handle this server issued. */
export function decodeTaskHandle(handle: string): TaskHandleParts | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { taskId, sourceArn } = parsed as Record<string, unknown>;
    if (typeof taskId !== 'string' || typeof sourceArn !== 'string' || taskId === '' || sourceArn === '') return undefined;
    return { taskId, sourceArn };
  } catch {
    return undefined;
  }
}
