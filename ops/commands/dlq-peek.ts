/**
 * `dlq peek <queue>`: the dead letters, without consuming them. Messages are received with a
 * visibility timeout long enough to see each once, then made visible again at once
 * (ChangeMessageVisibility 0), so they stay in the DLQ for a redrive. As on AWS, each peek counts
 * as a receive in ApproximateReceiveCount. FIFO: a receive returns only the first messages of each
 * message group, so a peek shows those.
 */
import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { CORRELATION_ID_ATTRIBUTE } from '../../lambdas/shared/correlation';
import { peekMessages } from '../../local/peek';
import { integerFlag } from '../../cli/arguments';
import type { OpsCommand } from '../command';
import { failureReasons, readFailureLines, type FailureReason } from '../consumer-logs';
import { EXIT } from '../exit-codes';
import { shortTime } from '../move-task-view';
import { sqsCall } from '../permissions';
import { namedQueue } from '../queue-argument';
import { readQueueState, totalMessages } from '../queue-counts';
import { formatTable } from '../text-table';

/** Lines and characters of a body shown without --full. */
const BODY_LINES = 12;
const BODY_CHARACTERS = 1_000;
/** Seconds the peeked messages stay hidden at most (made visible again right after). */
const HOLD_SECONDS = 30;

interface PeekedMessage {
  readonly messageId: string;
  readonly sentAt: string | undefined;
  readonly receiveCount: number | undefined;
  readonly correlationId: string | undefined;
  readonly messageGroupId: string | undefined;
  readonly body: string;
  readonly reason: FailureReason | null;
}

export const dlqPeekCommand: OpsCommand = {
  name: 'dlq peek',
  summary: "show a DLQ's messages (id, sent, receives, correlation id, group, body, the consumer's reason) without consuming them",
  argument: { name: '<queue>', help: 'queue whose DLQ to read, e.g. order (or the DLQ\'s full name)' },
  flags: {
    max: { type: 'string', usage: '--max <n>', help: 'messages to show, 1 – 1000 (default 10)' },
    full: { type: 'boolean', usage: '--full', help: `whole bodies (default: the first ${BODY_LINES} lines / ${BODY_CHARACTERS} characters)` },
  },
  details: `The reason is the error the consumer logged for the message: found in the local run's function
logs (.local/logs, or --logs <dir>); for a deployed environment, search the consumer's CloudWatch
logs for the correlation id. Each peek counts as one receive of each message shown.`,
  permissions: [
    sqsCall(GetQueueAttributesCommand, 'dead-letter-queue'),
    sqsCall(ReceiveMessageCommand, 'dead-letter-queue'),
    sqsCall(ChangeMessageVisibilityBatchCommand, 'dead-letter-queue'),
  ],

  async run({ target, sqs, out, json }, argument, flags) {
    const max = integerFlag(flags, 'max', 10, 1, 1_000);
    const dlq = namedQueue(target, argument, 'dead-letter-queue', '<queue>', 'dead-letter-queue');
    const counts = await readQueueState(sqs, dlq.address.url);
    const received = await peekMessages(sqs, dlq.address.url, { limit: max, holdSeconds: HOLD_SECONDS, waitTimeSeconds: target.local ? 0 : 1 });
    const messages = received.map(describe);
    const reasons = target.logDir ? failureReasons(readFailureLines(target.logDir), messages) : new Map<string, FailureReason>();
    const peeked: PeekedMessage[] = messages.map((message) => ({ ...message, reason: reasons.get(message.messageId) ?? null }));

    if (json) {
      out.json({ queue: dlq.address.name, approximateMessages: totalMessages(counts), messages: peeked });
      return EXIT.ok;
    }
    out.line(`${dlq.address.name}: ${peeked.length} shown of about ${totalMessages(counts)} (${counts.visible} visible, ${counts.inFlight} in flight)`);
    if (peeked.length === 0) return EXIT.ok;
    const fifo = dlq.pair.fifo;
    const headers = ['#', 'message id', 'sent', 'receives', 'correlation id', ...(fifo ? ['group'] : [])];
    const rows = peeked.map((message, index) => [
      String(index + 1),
      message.messageId,
      message.sentAt ? shortTime(message.sentAt) : '?',
      String(message.receiveCount ?? '?'),
      message.correlationId ?? '-',
      ...(fifo ? [message.messageGroupId ?? '-'] : []),
    ]);
    for (const line of formatTable(headers, rows, new Set([1, 2, 4, 5]))) out.line(line);
    for (const [index, message] of peeked.entries()) {
      out.line('');
      out.line(`#${index + 1} ${message.messageId}`);
      out.line(`  reason: ${reasonText(message.reason, target.logDir !== undefined)}`);
      out.line('  body:');
      for (const line of bodyLines(message.body, flags.full === true)) out.line(`    ${line}`);
    }
    return EXIT.ok;
  },
};

function describe(message: Message): Omit<PeekedMessage, 'reason'> {
  const sent = Number(message.Attributes?.SentTimestamp);
  const receives = Number(message.Attributes?.ApproximateReceiveCount);
  return {
    messageId: message.MessageId ?? '?',
    sentAt: Number.isFinite(sent) ? new Date(sent).toISOString() : undefined,
    receiveCount: Number.isFinite(receives) ? receives : undefined,
    correlationId: message.MessageAttributes?.[CORRELATION_ID_ATTRIBUTE]?.StringValue,
    messageGroupId: message.Attributes?.MessageGroupId,
    body: message.Body ?? '',
  };
}

function reasonText(reason: FailureReason | null, local: boolean): string {
  if (!reason) return local ? 'unknown (no failure logged for it)' : "unknown (search the consumer's CloudWatch logs for the correlation id)";
  const at = reason.loggedAt ? ` at ${shortTime(reason.loggedAt)}` : '';
  return `${reason.reason} (${reason.functionName}${at}${reason.matchedBy === 'correlationId' ? ', matched by correlation id only' : ''})`;
}

/** The body as pretty JSON when it is JSON, cut to BODY_LINES lines / BODY_CHARACTERS characters unless `full`. */
export function bodyLines(body: string, full: boolean): string[] {
  let text: string;
  try {
    text = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    text = body;
  }
  const lines = text.split('\n');
  if (full) return lines;
  const shown: string[] = [];
  let characters = 0;
  for (const line of lines) {
    if (shown.length >= BODY_LINES || characters + line.length > BODY_CHARACTERS) break;
    shown.push(line);
    characters += line.length + 1;
  }
  if (shown.length === 0) shown.push(text.slice(0, BODY_CHARACTERS));
  const hiddenCharacters = text.length - shown.join('\n').length;
  if (hiddenCharacters > 0) shown.push(`… ${lines.length - shown.length} more line(s), ${hiddenCharacters} more character(s): --full shows all`);
  return shown;
}
