/**
 * Parsing an SQS message body: JSON, then the event schema. Either step failing is an
 * {@link InvalidMessageError}.
 *
 * Why not the Powertools batch parser integration (`BatchProcessor` with `parser` + schema):
 * it logs a schema failure only at DEBUG, without the correlation id, whereas every bad record
 * must leave one clear ERROR line; and its JSON helper pulls in classic zod (454 KB, ~30 ms of
 * cold start, see schema-rules.ts). Parsing in the record handler keeps Powertools in charge of
 * the partial batch response and gives us the log line.
 */
import type * as z from 'zod/mini';
import { describeFieldIssues, fieldIssuesOf, type FieldIssue } from './field-issues';

/**
 * A message that can never be processed as it is (not JSON, or not the expected event). The
 * record is reported failed; after maxReceiveCount receives SQS moves it to the DLQ.
 */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';

  constructor(
    /** One-line reason, e.g. `body does not match OrderCreated: data.items[0].quantity: must be …`. */
    readonly reason: string,
    /** The offending fields; empty when the body is not JSON. */
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(reason);
  }
}

/** Longest excerpt of a bad body quoted in a log line. */
const BODY_EXCERPT_CHARS = 120;

/**
 * Parses `body` as JSON and validates it against `schema` (named `eventName` in messages).
 * @throws InvalidMessageError with a one-line reason
 */
export function parseMessageBody<TSchema extends z.ZodMiniType>(body: string, schema: TSchema, eventName: string): z.output<TSchema> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const excerpt = body.length > BODY_EXCERPT_CHARS ? `${body.slice(0, BODY_EXCERPT_CHARS)}…` : body;
    throw new InvalidMessageError(`body is not valid JSON (${(error as Error).message}); body starts ${JSON.stringify(excerpt)}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = fieldIssuesOf(result.error);
    throw new InvalidMessageError(`body does not match ${eventName}: ${describeFieldIssues(issues)}`, issues);
  }
  return result.data;
}
