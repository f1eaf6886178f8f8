/**
 * Which queue each dead letter came from, so a redrive without a destination can send every
 * message back to its own source queue (a DLQ may serve several). fauxqs moves a message to the
 * DLQ without noting its source; install-move-tasks.ts calls {@link DeadLetterOrigins.remember} at
 * that moment. In memory the note rides on the message object; with persistence it is also a row
 * in the server's SQLite file, written in the same transaction as the move to the DLQ.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { FauxqsMessage, FauxqsPersistence } from '../fauxqs-internals.ts';

const SCHEMA = `CREATE TABLE IF NOT EXISTS ext_dead_letter_origins (
  message_id TEXT PRIMARY KEY,
  source_arn TEXT NOT NULL
)`;

interface Statements {
  readonly insert: StatementSync;
  readonly select: StatementSync;
  readonly remove: StatementSync;
}

export class DeadLetterOrigins {
  private readonly byMessage = new WeakMap<FauxqsMessage, string>();
  private readonly statements = new WeakMap<DatabaseSync, Statements>();

  /** Notes that `message` was dead-lettered from the queue `sourceArn`. */
  remember(message: FauxqsMessage, sourceArn: string, persistence: FauxqsPersistence | undefined): void {
    this.byMessage.set(message, sourceArn);
    if (persistence) this.prepared(persistence.db).insert.run(message.messageId, sourceArn);
  }

  /** The queue `message` was dead-lettered from, when known. */
  of(message: FauxqsMessage, persistence: FauxqsPersistence | undefined): string | undefined {
    const known = this.byMessage.get(message);
    if (known !== undefined || !persistence) return known;
    const row = this.prepared(persistence.db).select.get(message.messageId) as { source_arn: string } | undefined;
    return row?.source_arn;
  }

  forget(message: FauxqsMessage, persistence: FauxqsPersistence | undefined): void {
    this.byMessage.delete(message);
    if (persistence) this.prepared(persistence.db).remove.run(message.messageId);
  }

  /** Drops the notes of messages no longer stored (deleted or purged from the DLQ). */
  prune(persistence: FauxqsPersistence): void {
    this.prepared(persistence.db);
    persistence.db.exec('DELETE FROM ext_dead_letter_origins WHERE message_id NOT IN (SELECT message_id FROM sqs_messages)');
  }

  private prepared(db: DatabaseSync): Statements {
    let statements = this.statements.get(db);
    if (!statements) {
      db.exec(SCHEMA);
      statements = {
        insert: db.prepare('INSERT OR REPLACE INTO ext_dead_letter_origins (message_id, source_arn) VALUES (?, ?)'),
        select: db.prepare('SELECT source_arn FROM ext_dead_letter_origins WHERE message_id = ?'),
        remove: db.prepare('DELETE FROM ext_dead_letter_origins WHERE message_id = ?'),
      };
      this.statements.set(db, statements);
    }
    return statements;
  }
}
