/**
 * `dlq purge <queue> --yes`: deletes every message of a DLQ (PurgeQueue). Without `--yes` it only
 * says what it would delete and exits 3, so a slip of the keyboard deletes nothing.
 */
import { GetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import type { OpsCommand } from '../command';
import { EXIT, RefusedError } from '../exit-codes';
import { sqsCall } from '../permissions';
import { namedQueue } from '../queue-argument';
import { readQueueState, totalMessages } from '../queue-counts';

export const dlqPurgeCommand: OpsCommand = {
  name: 'dlq purge',
  summary: 'delete every message of a DLQ (asks for --yes)',
  argument: { name: '<queue>', help: 'queue whose DLQ to empty, e.g. order' },
  flags: {
    yes: { type: 'boolean', usage: '--yes', help: 'really delete; without it, only say what would be deleted (exit 3)' },
  },
  details: `The messages are gone for good: peek at them first ("dlq peek <queue> --full --json > saved.json").
SQS allows one purge per queue every 60 seconds and may take up to 60 seconds to finish one.`,
  permissions: [sqsCall(GetQueueAttributesCommand, 'dead-letter-queue'), sqsCall(PurgeQueueCommand, 'dead-letter-queue')],

  async run({ target, sqs, out, json }, argument, flags) {
    const dlq = namedQueue(target, argument, 'dead-letter-queue', '<queue>', 'dead-letter-queue');
    const counts = await readQueueState(sqs, dlq.address.url);
    const what = `about ${totalMessages(counts)} message(s) of ${dlq.address.name} (${counts.visible} visible, ${counts.inFlight} in flight, ${counts.delayed} delayed)`;
    if (flags.yes !== true) throw new RefusedError(`would delete ${what}; run again with --yes to delete them`);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: dlq.address.url }));
    if (json) out.json({ queue: dlq.address.name, purged: true, approximateMessages: totalMessages(counts) });
    else out.line(`purged ${what}`);
    return EXIT.ok;
  },
};
