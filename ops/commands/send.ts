/**
 * `send <queue> --body JSON | --file F`: one message in the project's event envelope
 * (lambdas/shared/envelope.ts) with a `correlationId` attribute, sent the way the services send
 * (lambdas/shared/outgoing-message.ts, publisher.ts): for trying a fix with a message of your own.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { resolveCorrelationId } from '../../lambdas/shared/correlation';
import { createEnvelope, type EventEnvelope } from '../../lambdas/shared/envelope';
import { toPublishMessage } from '../../lambdas/shared/outgoing-message';
import { SqsPublisher } from '../../lambdas/shared/publisher';
import type { OpsCommand } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { sqsCall } from '../permissions';
import { namedQueue } from '../queue-argument';

/** The envelope's `producer` of messages sent with ops. */
export const OPS_PRODUCER = 'ops';

const ENVELOPE_FIELDS = ['type', 'version', 'eventId', 'occurredAt', 'producer', 'data'] as const;

export const sendCommand: OpsCommand = {
  name: 'send',
  summary: "send one message in the project's event envelope, with a correlation id",
  argument: { name: '<queue>', help: 'queue to send to, e.g. order' },
  flags: {
    body: { type: 'string', usage: '--body <json>', help: "the event's payload (its data), or a whole envelope" },
    file: { type: 'string', usage: '--file <path>', help: 'read the JSON from a file instead of --body' },
    type: { type: 'string', usage: '--type <event>', help: 'event type to wrap a payload in, e.g. OrderCreated (not needed for a whole envelope)' },
    'group-id': { type: 'string', usage: '--group-id <id>', help: "FIFO message group (default: the payload's orderId)" },
    'correlation-id': { type: 'string', usage: '--correlation-id <id>', help: 'correlation id (default: a new one, printed)' },
  },
  details: `A payload becomes an envelope {type, version, eventId, occurredAt, producer: "${OPS_PRODUCER}", data} with a
new eventId, so an idempotent consumer treats it as a new event; a whole envelope (an object with
${ENVELOPE_FIELDS.join(', ')}) is sent unchanged. FIFO queues use the eventId as deduplication id.
The body is not checked against the event's schema: a malformed event is a valid test too.

Example:
  npm run ops -- send order --type OrderCreated \\
    --body '{"orderId":"o-1","customerId":"c-1","items":[{"sku":"BOOK-1","quantity":1}],"createdAt":"2025-01-01T00:00:00.000Z"}'`,
  permissions: [sqsCall(SendMessageBatchCommand, 'queue')],

  async run({ target, sqs, out, json }, argument, flags) {
    const source = messageSource(flags);
    const queue = namedQueue(target, argument, 'queue', '<queue>');
    const value = parseJson(source.text, source.flag);
    const envelope = isEnvelope(value) ? value : wrap(value, flags.type, source.flag);
    const correlation = correlationIdOf(flags['correlation-id']);
    const message = toPublishMessage('ops', envelope as EventEnvelope<string, { readonly orderId: string }>, correlation);
    const groupId = typeof flags['group-id'] === 'string' ? flags['group-id'] : message.messageGroupId;
    if (queue.pair.fifo && (typeof groupId !== 'string' || groupId === '')) {
      throw new UsageError(`${queue.address.name} is a FIFO queue: give --group-id <id> (the payload has no orderId to use)`);
    }
    const [result] = await new SqsPublisher({ client: sqs, maxAttempts: 3 }).publish(queue.address.url, [{ ...message, ...(groupId ? { messageGroupId: groupId } : {}) }]);
    if (!result || result.status !== 'sent') {
      const reason = result?.status === 'failed' ? `${result.code}: ${result.reason}` : 'no result';
      if (result?.status === 'failed' && result.senderFault && result.attempts === 0) throw new UsageError(`${source.flag}: the message cannot be sent: ${reason}`);
      throw new Error(`sending to ${queue.address.name} failed: ${reason}`);
    }
    const sent = { queue: queue.address.name, messageId: result.messageId, eventId: envelope.eventId, type: envelope.type, correlationId: correlation, ...(queue.pair.fifo ? { messageGroupId: groupId } : {}) };
    if (json) out.json(sent);
    else out.line(`sent ${envelope.type} to ${queue.address.name}: message id ${result.messageId}, event id ${envelope.eventId}, correlation id ${correlation}`);
    return EXIT.ok;
  },
};

function messageSource(flags: Readonly<Record<string, string | boolean | undefined>>): { text: string; flag: string } {
  const body = flags.body;
  const file = flags.file;
  if (body !== undefined && file !== undefined) throw new UsageError('--body and --file were both given; give the message one way');
  if (typeof body === 'string') return { text: body, flag: '--body' };
  if (typeof file === 'string') {
    try {
      return { text: readFileSync(path.resolve(file), 'utf8'), flag: `--file ${file}` };
    } catch (error) {
      throw new UsageError(`--file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  throw new UsageError(`the message is missing: give --body '<json>' or --file <path>, e.g. --body '{"orderId":"o-1"}'`);
}

function parseJson(text: string, flag: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} is not valid JSON (${(error as Error).message}); e.g. --body '{"orderId":"o-1"}' (single quotes keep the shell away from the double quotes)`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${flag} must be a JSON object (an event payload or a whole envelope), but it is ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function isEnvelope(value: Record<string, unknown>): value is Record<string, unknown> & EventEnvelope {
  return ENVELOPE_FIELDS.every((field) => field in value) && typeof value.type === 'string' && typeof value.eventId === 'string';
}

function wrap(data: Record<string, unknown>, type: string | boolean | undefined, flag: string): EventEnvelope {
  if (typeof type !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(type)) {
    throw new UsageError(
      type === undefined
        ? `--type is needed to wrap the ${flag} payload in an event envelope, e.g. --type OrderCreated (or give a whole envelope)`
        : `--type must be an event type name such as OrderCreated, but "${type}" was provided`,
    );
  }
  return createEnvelope({ type, data, causationKey: randomUUID(), producer: OPS_PRODUCER });
}

function correlationIdOf(given: string | boolean | undefined): string {
  if (given === undefined) return resolveCorrelationId(undefined).value;
  const resolved = resolveCorrelationId(given);
  if (resolved.generated) {
    throw new UsageError(`--correlation-id must be 1 – 128 printable characters without spaces, but "${String(given)}" was provided; e.g. --correlation-id fix-check-1`);
  }
  return resolved.value;
}
