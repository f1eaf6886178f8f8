/**
 * Adds message move tasks (DLQ redrive) and `ListDeadLetterSourceQueues` to the embedded server,
 * by two hooks on fauxqs's own classes, applied before the server is built:
 *
 * - `SqsRouter.register`: the first time fauxqs registers its actions on a router, ours are
 *   registered next to them, with a {@link MoveTaskService} bound to that router's store (its
 *   persistence, if any, is already attached then; stored tasks are loaded and recovered);
 * - `SqsQueue.dequeue`: where fauxqs moves a message to the DLQ after maxReceiveCount receives.
 *   The hook notes the message's source queue (a redrive's default destination) and, with
 *   persistence, makes that move one transaction (fauxqs deletes the row and inserts the DLQ row
 *   as two writes; a crash between them would lose the message).
 */
import { randomUUID } from 'node:crypto';
import type { FauxqsActionHandler, FauxqsInternals, FauxqsQueue, FauxqsRouter, FauxqsStore } from '../fauxqs-internals.ts';
import { SqsApiError } from '../sqs-api-error.ts';
import { listDeadLetterSourceQueues } from './dead-letter-source-queues.ts';
import { DeadLetterOrigins } from './dead-letter-origins.ts';
import { FauxqsMoveStore } from './fauxqs-move-store.ts';
import { MoveTaskService, type MoveTaskClock } from './move-task-service.ts';
import { MemoryTaskJournal, SqliteTaskJournal } from './task-journal.ts';

const realClock: MoveTaskClock = {
  now: () => Date.now(),
  schedule: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // A pending move never keeps the server process alive on its own.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export function installMoveTasks(internals: FauxqsInternals): void {
  const origins = new DeadLetterOrigins();
  const extended = new WeakSet<FauxqsRouter>();

  const register = internals.SqsRouter.prototype.register;
  internals.SqsRouter.prototype.register = function registerWithMoveTasks(this: FauxqsRouter, action: string, handler: FauxqsActionHandler): void {
    register.call(this, action, handler);
    if (extended.has(this)) return;
    extended.add(this);
    const actions = moveTaskActions(this.store, internals, origins);
    for (const [name, extra] of Object.entries(actions)) register.call(this, name, asFauxqsHandler(extra, internals));
  };

  const dequeue = internals.SqsQueue.prototype.dequeue;
  internals.SqsQueue.prototype.dequeue = function dequeueNotingOrigins(this: FauxqsQueue, maxCount, visibilityTimeoutOverride, dlqResolver) {
    const source = this;
    const persistence = this.persistence;
    const resolver = dlqResolver && ((arn: string) => {
      const dlq = dlqResolver(arn);
      return dlq && notingOrigin(dlq, (message) => origins.remember(message, source.arn, persistence));
    });
    // Without persistence, or once it is closed (a long poll woken while the server stops), as before.
    if (!persistence?.db.isOpen) return dequeue.call(this, maxCount, visibilityTimeoutOverride, resolver);
    let received: unknown[] = [];
    persistence.transaction(() => {
      received = dequeue.call(this, maxCount, visibilityTimeoutOverride, resolver);
    });
    return received;
  };
}

type Action = (body: Record<string, unknown>) => unknown;

function moveTaskActions(store: FauxqsStore, internals: FauxqsInternals, origins: DeadLetterOrigins): Record<string, Action> {
  const persistence = store.persistence;
  if (persistence) origins.prune(persistence);
  const journal = persistence ? new SqliteTaskJournal(persistence.db) : new MemoryTaskJournal();
  const service = new MoveTaskService(new FauxqsMoveStore(store, internals, origins, journal), realClock, randomUUID);
  return {
    StartMessageMoveTask: (body) => service.start(body),
    ListMessageMoveTasks: (body) => service.list(body),
    CancelMessageMoveTask: (body) => service.cancel(body),
    ListDeadLetterSourceQueues: (body) => listDeadLetterSourceQueues(body, store),
  };
}

/**
 * Our errors become fauxqs's, which its router turns into the SQS JSON error answer. fauxqs
 * prefixes every query code with `AWS.SimpleQueueService.`; ours are sent exactly as AWS sends them.
 */
function asFauxqsHandler(action: Action, internals: FauxqsInternals): FauxqsActionHandler {
  return (body) => {
    try {
      return action(body ?? {});
    } catch (error) {
      if (!(error instanceof SqsApiError)) throw error;
      const answer = new internals.SqsError(error.code, error.message, error.statusCode, true);
      Object.defineProperty(answer, 'queryErrorHeader', { value: `${error.queryCode};Sender` });
      throw answer;
    }
  };
}

/** The DLQ as fauxqs's dequeue sees it, except that enqueueing a message also notes where it came from. */
function notingOrigin(dlq: FauxqsQueue, note: (message: Parameters<FauxqsQueue['enqueue']>[0]) => void): FauxqsQueue {
  return new Proxy(dlq, {
    get(target, property, receiver) {
      if (property === 'enqueue') {
        return (message: Parameters<FauxqsQueue['enqueue']>[0]) => {
          note(message);
          target.enqueue(message);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
