/**
 * `dlq cancel <queue>`: stops the DLQ's running redrive (CancelMessageMoveTask). Messages already
 * moved stay moved; the rest stay in the DLQ. Waits for the task to settle and reports the counts.
 */
import { CancelMessageMoveTaskCommand, ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';
import type { OpsCommand } from '../command';
import { EXIT, RefusedError } from '../exit-codes';
import { followMoveTask } from '../follow-move-task';
import { describeMoveTask, latestMoveTask } from '../move-task-view';
import { sqsCall } from '../permissions';
import { namedQueue } from '../queue-argument';

export const dlqCancelCommand: OpsCommand = {
  name: 'dlq cancel',
  summary: "stop a DLQ's running redrive; what moved stays moved, the rest stays in the DLQ",
  argument: { name: '<queue>', help: 'queue whose DLQ redrive to stop, e.g. order' },
  flags: {},
  details: 'Only a RUNNING redrive can be cancelled. Start it again later with "dlq redrive <queue>".',
  permissions: [sqsCall(ListMessageMoveTasksCommand, 'dead-letter-queue'), sqsCall(CancelMessageMoveTaskCommand, 'dead-letter-queue')],

  async run(context, argument) {
    const { target, sqs, out, json } = context;
    const dlq = namedQueue(target, argument, 'dead-letter-queue', '<queue>', 'dead-letter-queue');
    const task = await latestMoveTask(sqs, dlq.address.arn, target.catalog);
    if (!task || task.status !== 'RUNNING' || !task.taskHandle) {
      throw new RefusedError(`no redrive of ${dlq.address.name} is running${task ? ` (the latest: ${describeMoveTask(task)})` : ''}; nothing to cancel`);
    }
    await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: task.taskHandle }));
    const settled = await followMoveTask(context, dlq.address.arn, () => {});
    if (json) {
      out.json({ queue: dlq.address.name, task: settled });
    } else if (settled) {
      out.line(`redrive of ${dlq.address.name} ${settled.status}: ${settled.moved} of ${settled.toMove} moved; the rest stays in ${dlq.address.name}`);
    }
    return EXIT.ok;
  },
};
