/**
 * Fix for a fauxqs 2.4 persistence bug: making an in-flight message visible again
 * (ChangeMessageVisibility with VisibilityTimeout 0) writes NULL into the NOT NULL column
 * `approximate_receive_count`, so with a data directory the request fails with
 * `NOT NULL constraint failed: sqs_messages.approximate_receive_count` after the message was
 * already taken out of the in-flight set in memory: the message vanishes until the next restart.
 * Peeking at a DLQ (receive, then reset the visibility) hits it on every message.
 *
 * The fixed statement clears only what "ready" means (no receipt handle, no visibility deadline)
 * and keeps the receive count, as the in-memory message does.
 */
import type { StatementSync } from 'node:sqlite';
import type { FauxqsInternals, FauxqsPersistence } from './fauxqs-internals.ts';

const MARK_READY = 'UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?';

export function fixVisibilityReset(internals: FauxqsInternals): void {
  const statements = new WeakMap<FauxqsPersistence, StatementSync>();
  internals.PersistenceManager.prototype.updateMessageReady = function markReady(this: FauxqsPersistence, messageId: string): void {
    let statement = statements.get(this);
    if (!statement) statements.set(this, (statement = this.db.prepare(MARK_READY)));
    statement.run(messageId);
  };
}
