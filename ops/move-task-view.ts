/**
 * A DLQ's latest message move task (redrive), read with ListMessageMoveTasks, and how ops shows it.
 */
import { ListMessageMoveTasksCommand, type ListMessageMoveTasksResultEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueCatalog } from './queue-catalog';

export interface MoveTaskView {
  readonly status: string;
  readonly moved: number;
  readonly toMove: number;
  /** ISO 8601. */
  readonly startedAt: string | undefined;
  /** Full queue name (or ARN when not one of the environment's), or undefined: each message's source queue. */
  readonly destination: string | undefined;
  readonly maxNumberOfMessagesPerSecond: number | undefined;
  readonly failureReason: string | undefined;
  /** Present while RUNNING: what CancelMessageMoveTask takes. */
  readonly taskHandle: string | undefined;
}

/** Statuses in which a task still holds its source queue (no second task may start). */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'CANCELLING']);

/** The most recent task of the DLQ `sourceArn`, if any. */
export async function latestMoveTask(sqs: SQSClient, sourceArn: string, catalog: QueueCatalog): Promise<MoveTaskView | undefined> {
  const { Results: results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }));
  return results[0] && toView(results[0], catalog);
}

function toView(entry: ListMessageMoveTasksResultEntry, catalog: QueueCatalog): MoveTaskView {
  return {
    status: entry.Status ?? 'UNKNOWN',
    moved: entry.ApproximateNumberOfMessagesMoved ?? 0,
    toMove: entry.ApproximateNumberOfMessagesToMove ?? 0,
    startedAt: entry.StartedTimestamp !== undefined ? new Date(entry.StartedTimestamp).toISOString() : undefined,
    destination: entry.DestinationArn !== undefined ? (catalog.byArn(entry.DestinationArn)?.address.name ?? entry.DestinationArn) : undefined,
    maxNumberOfMessagesPerSecond: entry.MaxNumberOfMessagesPerSecond,
    failureReason: entry.FailureReason,
    taskHandle: entry.TaskHandle,
  };
}

/** `RUNNING, 3 of 10 moved (started 2025-11-23T10:15:02Z, ≤ 5/s)` */
export function describeMoveTask(task: MoveTaskView): string {
  const details = [
    task.startedAt ? `started ${shortTime(task.startedAt)}` : undefined,
    task.maxNumberOfMessagesPerSecond !== undefined ? `≤ ${task.maxNumberOfMessagesPerSecond}/s` : undefined,
    task.destination ? `to ${task.destination}` : undefined,
    task.failureReason ? `reason: ${task.failureReason}` : undefined,
  ].filter((part) => part !== undefined);
  return `${task.status}, ${task.moved} of ${task.toMove} moved${details.length ? ` (${details.join(', ')})` : ''}`;
}

/** `2025-11-23T10:15:02.123Z` → `2025-11-23 10:15:02Z` */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
