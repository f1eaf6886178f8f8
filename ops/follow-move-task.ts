/**
 * Following a DLQ's move task until it settles (`dlq redrive --wait`, `dlq cancel`): ask
 * ListMessageMoveTasks every poll interval, report progress when the count changes, and ride out a
 * short loss of contact (a restarted local server, a network blip) rather than giving up at once.
 */
import type { OpsContext } from './command';
import { ACTIVE_STATUSES, latestMoveTask, type MoveTaskView } from './move-task-view';

/** How long SQS may stay unreachable before following gives up. */
const MAX_SILENCE_MS = 60_000;

export async function followMoveTask(
  context: OpsContext,
  sourceArn: string,
  onProgress: (task: MoveTaskView) => void,
): Promise<MoveTaskView | undefined> {
  let lastMoved = -1;
  let lastStatus = '';
  let unreachableSince: number | undefined;
  for (;;) {
    let task: MoveTaskView | undefined;
    try {
      task = await latestMoveTask(context.sqs, sourceArn, context.target.catalog);
      if (unreachableSince !== undefined) context.out.note('SQS answers again');
      unreachableSince = undefined;
    } catch (error) {
      const now = context.now();
      if (unreachableSince === undefined) {
        unreachableSince = now;
        context.out.note(`cannot reach SQS (${(error as Error).message}); still trying for ${MAX_SILENCE_MS / 1000} s`);
      } else if (now - unreachableSince > MAX_SILENCE_MS) {
        throw error;
      }
      await context.sleep(context.pollIntervalMs);
      continue;
    }
    if (!task) return undefined;
    if (task.moved !== lastMoved || task.status !== lastStatus) {
      lastMoved = task.moved;
      lastStatus = task.status;
      onProgress(task);
    }
    if (!ACTIVE_STATUSES.has(task.status)) return task;
    await context.sleep(context.pollIntervalMs);
  }
}
