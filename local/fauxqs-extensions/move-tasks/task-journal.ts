/**
 * Where move tasks are kept: in memory, or with persistence as rows of the server's SQLite file,
 * so a task's status and counts survive a restart (and the move and the count it adds are written
 * in one transaction, see fauxqs-move-store.ts).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { MoveTask, MoveTaskStatus } from './move-task-service.ts';

export interface TaskJournal {
  save(task: MoveTask): void;
  load(): MoveTask[];
  forget(taskId: string): void;
}

export class MemoryTaskJournal implements TaskJournal {
  private readonly tasks = new Map<string, MoveTask>();

  save(task: MoveTask): void {
    this.tasks.set(task.taskId, task);
  }

  load(): MoveTask[] {
    return [...this.tasks.values()];
  }

  forget(taskId: string): void {
    this.tasks.delete(taskId);
  }
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS ext_message_move_tasks (
  task_id TEXT PRIMARY KEY,
  source_arn TEXT NOT NULL,
  destination_arn TEXT,
  max_messages_per_second INTEGER,
  status TEXT NOT NULL,
  moved INTEGER NOT NULL,
  to_move INTEGER NOT NULL,
  failure_reason TEXT,
  started_timestamp INTEGER NOT NULL
)`;

interface TaskRow {
  task_id: string;
  source_arn: string;
  destination_arn: string | null;
  max_messages_per_second: number | null;
  status: MoveTaskStatus;
  moved: number;
  to_move: number;
  failure_reason: string | null;
  started_timestamp: number;
}

export class SqliteTaskJournal implements TaskJournal {
  private readonly db: DatabaseSync;
  private readonly upsert: StatementSync;
  private readonly remove: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec(SCHEMA);
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO ext_message_move_tasks
         (task_id, source_arn, destination_arn, max_messages_per_second, status, moved, to_move, failure_reason, started_timestamp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.remove = db.prepare('DELETE FROM ext_message_move_tasks WHERE task_id = ?');
  }

  save(task: MoveTask): void {
    this.upsert.run(
      task.taskId,
      task.sourceArn,
      task.destinationArn ?? null,
      task.maxNumberOfMessagesPerSecond ?? null,
      task.status,
      task.moved,
      task.toMove,
      task.failureReason ?? null,
      task.startedTimestamp,
    );
  }

  load(): MoveTask[] {
    const rows = this.db.prepare('SELECT * FROM ext_message_move_tasks').all() as unknown as TaskRow[];
    return rows.map((row) => ({
      taskId: row.task_id,
      sourceArn: row.source_arn,
      destinationArn: row.destination_arn ?? undefined,
      maxNumberOfMessagesPerSecond: row.max_messages_per_second ?? undefined,
      status: row.status,
      moved: row.moved,
      toMove: row.to_move,
      failureReason: row.failure_reason ?? undefined,
      startedTimestamp: row.started_timestamp,
    }));
  }

  forget(taskId: string): void {
    this.remove.run(taskId);
  }
}
