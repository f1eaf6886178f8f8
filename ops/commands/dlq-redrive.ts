/**
 * `dlq redrive <queue>`: moves a DLQ's messages back to their source queue (or `--to` another
 * queue) with SQS's own redrive, StartMessageMoveTask: server-side, FIFO-safe (message group and
 * deduplication id kept), optionally paced (`--rate`). Refuses while a redrive of that DLQ runs.
 */
import { GetQueueAttributesCommand, ListMessageMoveTasksCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { integerFlag } from '../../cli/arguments';
import type { OpsCommand } from '../command';
import { EXIT, RefusedError, UsageError } from '../exit-codes';
import { followMoveTask } from '../follow-move-task';
import { ACTIVE_STATUSES, describeMoveTask, latestMoveTask } from '../move-task-view';
import { requiredBy, sqsCall } from '../permissions';
import { namedQueue } from '../queue-argument';
import { readQueueState } from '../queue-counts';
import { errorCode } from '../sqs-error-code';

/** AWS's range for MaxNumberOfMessagesPerSecond. */
const MIN_RATE = 1;
const MAX_RATE = 500;
const REDRIVE_DOC = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html';

export const dlqRedriveCommand: OpsCommand = {
  name: 'dlq redrive',
  summary: "move a DLQ's messages back to their source queue (or --to another) with SQS's own redrive",
  argument: { name: '<queue>', help: 'queue whose DLQ to redrive, e.g. order (or the DLQ\'s full name)' },
  flags: {
    rate: { type: 'string', usage: '--rate <n>', help: `at most n messages per second, ${MIN_RATE} – ${MAX_RATE} (default: as fast as SQS goes)` },
    to: { type: 'string', usage: '--to <queue>', help: "destination queue (default: each message's source queue)" },
    wait: { type: 'boolean', usage: '--wait', help: 'show progress until the redrive is done; exit 0 only if it COMPLETED' },
  },
  details: `Redriven messages are new messages (new id and sent time, receive count 0) with the same body,
attributes, message group and deduplication id; oldest first. Fix the consumer first: a message that
still fails returns to the DLQ after maxReceiveCount receives. Follow a redrive started without
--wait with "status"; stop it with "dlq cancel <queue>" (moved messages stay moved).`,
  permissions: [
    sqsCall(GetQueueAttributesCommand, 'dead-letter-queue'),
    sqsCall(ListMessageMoveTasksCommand, 'dead-letter-queue'),
    sqsCall(StartMessageMoveTaskCommand, 'dead-letter-queue'),
    // SQS moves the messages with the caller's permissions (AWS's redrive documentation, REDRIVE_DOC).
    requiredBy('sqs:ReceiveMessage', 'dead-letter-queue', `StartMessageMoveTask receives from the DLQ as the caller (${REDRIVE_DOC})`),
    requiredBy('sqs:DeleteMessage', 'dead-letter-queue', `StartMessageMoveTask deletes from the DLQ as the caller (${REDRIVE_DOC})`),
    requiredBy('sqs:SendMessage', 'redrive-destination', `StartMessageMoveTask sends to the destination as the caller (${REDRIVE_DOC})`),
    requiredBy('sqs:GetQueueAttributes', 'redrive-destination', `StartMessageMoveTask reads the destination's attributes (${REDRIVE_DOC})`),
  ],

  async run(context, argument, flags) {
    const { target, sqs, out, json } = context;
    const rate = flags.rate === undefined ? undefined : integerFlag(flags, 'rate', 10, MIN_RATE, MAX_RATE);
    const dlq = namedQueue(target, argument, 'dead-letter-queue', '<queue>', 'dead-letter-queue');
    const destination = typeof flags.to === 'string' ? namedQueue(target, flags.to, 'queue', '--to') : undefined;
    if (destination && destination.pair.fifo !== dlq.pair.fifo) {
      throw new UsageError(`--to "${flags.to}" is a ${kind(destination.pair.fifo)} queue but ${dlq.address.name} is a ${kind(dlq.pair.fifo)} queue; a redrive needs two queues of the same type`);
    }
    const running = await latestMoveTask(sqs, dlq.address.arn, target.catalog);
    if (running && ACTIVE_STATUSES.has(running.status)) {
      throw new RefusedError(`a redrive of ${dlq.address.name} is already running (${describeMoveTask(running)}); follow it with "status", or stop it with "dlq cancel ${dlq.pair.name}"`);
    }
    const counts = await readQueueState(sqs, dlq.address.url);
    if (counts.visible === 0) {
      const note = counts.inFlight > 0 ? ` (${counts.inFlight} in flight: they become visible again after their visibility timeout)` : '';
      if (json) out.json({ queue: dlq.address.name, started: false, visible: 0, inFlight: counts.inFlight });
      else out.line(`nothing to redrive: ${dlq.address.name} has no visible messages${note}`);
      return EXIT.ok;
    }

    try {
      await sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: dlq.address.arn,
          ...(destination ? { DestinationArn: destination.address.arn } : {}),
          ...(rate !== undefined ? { MaxNumberOfMessagesPerSecond: rate } : {}),
        }),
      );
    } catch (error) {
      const message = (error as Error).message;
      // Another operator (or a second terminal) started one between our check and our start.
      if (/already a task running/i.test(message)) throw new RefusedError(`a redrive of ${dlq.address.name} is already running; follow it with "status"`);
      if (errorCode(error) === 'InvalidParameterValue') throw new UsageError(`SQS refused to redrive ${dlq.address.name}: ${message}`);
      throw error;
    }
    const to = destination ? destination.address.name : `its source queue ${dlq.pair.queue.name}`;
    if (!json) out.line(`redrive started: ${counts.visible} message(s) from ${dlq.address.name} to ${to}${rate !== undefined ? `, at most ${rate}/s` : ''}`);
    if (flags.wait !== true) {
      if (json) out.json({ queue: dlq.address.name, started: true, task: await latestMoveTask(sqs, dlq.address.arn, target.catalog) });
      else out.note(`follow it with "status"; stop it with "dlq cancel ${dlq.pair.name}"`);
      return EXIT.ok;
    }

    const task = await followMoveTask(context, dlq.address.arn, (progress) => {
      if (!json) out.note(`  ${describeMoveTask(progress)}`);
    });
    if (json) out.json({ queue: dlq.address.name, started: true, task });
    if (task?.status === 'COMPLETED') {
      if (!json) out.line(`redrive COMPLETED: ${task.moved} of ${task.toMove} message(s) moved to ${to}`);
      return EXIT.ok;
    }
    if (!json) {
      const left = task ? ` after ${task.moved} of ${task.toMove} moved; the others are still in ${dlq.address.name}` : '';
      out.line(`redrive ${task?.status ?? 'vanished'}${task?.failureReason ? ` (${task.failureReason})` : ''}${left}`);
      if (task?.status === 'FAILED') out.note(`run "dlq redrive ${dlq.pair.name}" again to move the rest`);
    }
    return EXIT.failed;
  },
};

function kind(fifo: boolean): string {
  return fifo ? 'FIFO' : 'standard';
}
