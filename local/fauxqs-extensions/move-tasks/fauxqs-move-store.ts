/**
 * The {@link MoveTaskStore} over fauxqs's in-memory store: a message moves inside the server, never
 * through receive/send/delete requests, so it is never on both queues or on neither. With
 * persistence, taking it off the DLQ, adding the new message to the destination and counting it in
 * the task are one SQLite transaction; a crash (even SIGKILL) leaves either all of it or none.
 */
import type { FauxqsInternals, FauxqsMessage, FauxqsQueue, FauxqsStore } from '../fauxqs-internals.ts';
import type { DeadLetterOrigins } from './dead-letter-origins.ts';
import { QUEUE_GONE, UNKNOWN_MESSAGE_SOURCE, type MoveStep, type MoveTask, type MoveTaskStore } from './move-task-service.ts';
import type { TaskJournal } from './task-journal.ts';

export class FauxqsMoveStore implements MoveTaskStore {
  private readonly store: FauxqsStore;
  private readonly internals: FauxqsInternals;
  private readonly origins: DeadLetterOrigins;
  private readonly journal: TaskJournal;

  constructor(store: FauxqsStore, internals: FauxqsInternals, origins: DeadLetterOrigins, journal: TaskJournal) {
    this.store = store;
    this.internals = internals;
    this.origins = origins;
    this.journal = journal;
  }

  queue(arn: string): { fifo: boolean; visibleMessages: number } | undefined {
    const queue = this.store.getQueueByArn(arn);
    if (!queue) return undefined;
    queue.processTimers();
    return { fifo: queue.isFifo(), visibleMessages: Number(queue.getAttribute('ApproximateNumberOfMessages') ?? 0) };
  }

  deadLetterSourcesOf(arn: string): string[] {
    return deadLetterSourcesOf(this.store, arn).map((queue) => queue.arn);
  }

  moveOldest(task: MoveTask): MoveStep {
    const source = this.store.getQueueByArn(task.sourceArn);
    if (!source) return { kind: 'failed', reason: QUEUE_GONE };
    source.processTimers();
    const next = oldestMovable(source);
    if (next === 'empty') return { kind: 'source-empty' };
    if (next === 'blocked') return { kind: 'blocked' };
    const persistence = this.store.persistence;
    const destinationArn = task.destinationArn ?? this.originalSource(source, next.message);
    if (destinationArn === undefined) return { kind: 'failed', reason: UNKNOWN_MESSAGE_SOURCE };
    const destination = this.store.getQueueByArn(destinationArn);
    if (!destination) return { kind: 'failed', reason: QUEUE_GONE };

    const move = () => {
      next.take();
      persistence?.deleteMessage(next.message.messageId);
      destination.enqueue(this.redriven(next.message, destination));
      this.origins.forget(next.message, persistence);
      task.moved += 1;
      this.journal.save(task);
    };
    if (persistence) persistence.transaction(move);
    else move();
    return { kind: 'moved' };
  }

  saveTask(task: MoveTask): void {
    this.journal.save(task);
  }

  loadTasks(): MoveTask[] {
    return this.journal.load();
  }

  forgetTask(taskId: string): void {
    this.journal.forget(taskId);
  }

  /**
   * The message as the destination receives it: a new message (AWS gives redriven messages a new
   * id and enqueue time) with the same body, attributes, message group and deduplication id. It
   * bypasses the destination's deduplication window on purpose: the original send of the same
   * deduplication id is usually still in it, and a redrive must not be dropped as a duplicate.
   */
  private redriven(message: FauxqsMessage, destination: FauxqsQueue): FauxqsMessage {
    const queueDelay = Number(destination.attributes.DelaySeconds ?? 0);
    const copy = this.internals.createMessage(
      message.body,
      message.messageAttributes,
      queueDelay > 0 ? queueDelay : undefined,
      destination.isFifo() ? message.messageGroupId : undefined,
      destination.isFifo() ? message.messageDeduplicationId : undefined,
    );
    if (destination.isFifo()) copy.sequenceNumber = destination.nextSequenceNumber();
    return copy;
  }

  /** Where `message` was dead-lettered from; when not noted, the DLQ's only source queue, if it has one. */
  private originalSource(dlq: FauxqsQueue, message: FauxqsMessage): string | undefined {
    const noted = this.origins.of(message, this.store.persistence);
    if (noted !== undefined) return noted;
    const sources = deadLetterSourcesOf(this.store, dlq.arn);
    return sources.length === 1 ? sources[0]!.arn : undefined;
  }
}

/** Queues whose RedrivePolicy names `arn` as their dead-letter queue, by name. */
export function deadLetterSourcesOf(store: FauxqsStore, arn: string): FauxqsQueue[] {
  return [...store.allQueues()].filter((queue) => redriveTarget(queue) === arn).sort((a, b) => a.name.localeCompare(b.name));
}

function redriveTarget(queue: FauxqsQueue): string | undefined {
  const policy = queue.attributes.RedrivePolicy;
  if (!policy) return undefined;
  try {
    const target = (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The message a ReceiveMessage would return next (oldest first, in the server's own receive order),
 * with the function that takes it off the visible messages. On a FIFO queue, a group with a message
 * in flight is passed over: its later messages must not overtake that one.
 */
function oldestMovable(queue: FauxqsQueue): { message: FauxqsMessage; take: () => void } | 'empty' | 'blocked' {
  if (!queue.isFifo()) {
    const message = queue.messages[0];
    return message ? { message, take: () => void queue.messages.shift() } : 'empty';
  }
  let sawVisible = false;
  for (const [group, messages] of queue.fifoMessages) {
    if (messages.length === 0) continue;
    sawVisible = true;
    if (queue.fifoLockedGroups.has(group)) continue;
    const message = messages[0]!;
    return {
      message,
      take: () => {
        messages.shift();
        if (messages.length === 0) queue.fifoMessages.delete(group);
      },
    };
  }
  return sawVisible ? 'blocked' : 'empty';
}
