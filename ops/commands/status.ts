/**
 * `status`: per queue and DLQ, the messages visible, in flight and delayed, the redrive settings
 * and the DLQ's latest move task (a running redrive shows its progress).
 */
import { GetQueueAttributesCommand, ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';
import type { OpsCommand } from '../command';
import { EXIT } from '../exit-codes';
import { describeMoveTask, latestMoveTask, type MoveTaskView } from '../move-task-view';
import { sqsCall } from '../permissions';
import { readQueueState, type QueueState } from '../queue-counts';
import { formatTable } from '../text-table';

interface QueueStatus {
  readonly name: string;
  readonly queue: { readonly name: string; readonly url: string } & QueueState;
  readonly deadLetterQueue: { readonly name: string; readonly url: string } & QueueState;
  readonly maxReceiveCount: number | undefined;
  readonly latestRedrive: MoveTaskView | null;
}

export const statusCommand: OpsCommand = {
  name: 'status',
  summary: 'messages per queue and DLQ, redrive settings, the latest redrive of each DLQ',
  flags: {},
  details: `Counts are SQS's approximate counts. The age of the oldest message is not part of the SQS API:
it is the CloudWatch metric ApproximateAgeOfOldestMessage, on the environment's dashboard and alarms.`,
  permissions: [sqsCall(GetQueueAttributesCommand, 'queue'), sqsCall(GetQueueAttributesCommand, 'dead-letter-queue'), sqsCall(ListMessageMoveTasksCommand, 'dead-letter-queue')],

  async run({ target, sqs, out, json }) {
    const rows: QueueStatus[] = [];
    for (const pair of target.catalog.pairs) {
      const queue = await readQueueState(sqs, pair.queue.url);
      const deadLetterQueue = await readQueueState(sqs, pair.deadLetterQueue.url);
      rows.push({
        name: pair.name,
        queue: { name: pair.queue.name, url: pair.queue.url, ...queue },
        deadLetterQueue: { name: pair.deadLetterQueue.name, url: pair.deadLetterQueue.url, ...deadLetterQueue },
        maxReceiveCount: queue.redrivePolicy?.maxReceiveCount,
        latestRedrive: (await latestMoveTask(sqs, pair.deadLetterQueue.arn, target.catalog)) ?? null,
      });
    }
    if (json) {
      out.json({ target: target.description, environment: target.environment, queues: rows });
      return EXIT.ok;
    }
    out.line(target.description);
    for (const line of formatTable(
      ['queue', 'visible', 'in flight', 'delayed', 'max receives', 'DLQ visible', 'DLQ in flight', 'latest redrive'],
      rows.map((row) => [
        row.name,
        String(row.queue.visible),
        String(row.queue.inFlight),
        String(row.queue.delayed),
        row.maxReceiveCount !== undefined ? String(row.maxReceiveCount) : 'no DLQ',
        String(row.deadLetterQueue.visible),
        String(row.deadLetterQueue.inFlight),
        row.latestRedrive ? describeMoveTask(row.latestRedrive) : 'none',
      ]),
      new Set([0, 7]),
    )) {
      out.line(line);
    }
    const waiting = rows.filter((row) => row.deadLetterQueue.visible + row.deadLetterQueue.inFlight > 0);
    if (waiting.length > 0) out.note(`dead letters waiting in ${waiting.map((row) => row.name).join(', ')}: look at them with "dlq peek <queue>"`);
    return EXIT.ok;
  },
};
