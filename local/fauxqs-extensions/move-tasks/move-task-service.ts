/**
 * Message move tasks, the dead-letter queue redrive of SQS (`StartMessageMoveTask`,
 * `ListMessageMoveTasks`, `CancelMessageMoveTask`), with AWS's documented semantics:
 *
 * - the source must be a dead-letter queue: a queue some other queue's RedrivePolicy names;
 * - the destination is the given queue (same type, FIFO or standard), or by default each
 *   message's original source queue;
 * - one active task (RUNNING or CANCELLING) per source queue;
 * - messages move oldest first, each as a new message (new id, sent time and receive count, same
 *   body, attributes, message group and deduplication id);
 * - `MaxNumberOfMessagesPerSecond`, 1 – 500, paces the move (see pacer.ts); without it the task
 *   moves as fast as it can;
 * - status RUNNING → COMPLETED | CANCELLING → CANCELLED | FAILED (with a FailureReason), with
 *   `ApproximateNumberOfMessagesToMove` (visible messages when the task started; the task moves at
 *   most that many, so a consumer that keeps failing cannot make it loop) and
 *   `ApproximateNumberOfMessagesMoved`; TaskHandle only on RUNNING tasks in listings; the 10 most
 *   recent tasks per source are kept.
 *
 * Error codes and messages follow what AWS answers (as recorded by LocalStack's AWS-validated
 * tests) where known. The store does the moving (see {@link MoveTaskStore}); this class owns the
 * rules and the schedule, so it is tested without a server and with a fake clock.
 */
import { missingParameter, SqsApiError } from '../sqs-api-error.ts';
import { MAX_MESSAGES_PER_SECOND, MIN_MESSAGES_PER_SECOND, MovePacer } from './pacer.ts';
import { decodeTaskHandle, encodeTaskHandle } from './task-handle.ts';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** A task as stored. `moved` changes only inside the store's atomic move (see {@link MoveTaskStore.moveOldest}). */
export interface MoveTask {
  readonly taskId: string;
  readonly sourceArn: string;
  /** Undefined: every message goes back to the queue it was dead-lettered from. */
  readonly destinationArn: string | undefined;
  readonly maxNumberOfMessagesPerSecond: number | undefined;
  status: MoveTaskStatus;
  moved: number;
  readonly toMove: number;
  failureReason: string | undefined;
  /** Epoch milliseconds. */
  readonly startedTimestamp: number;
}

/** What one attempt to move a message did. */
export type MoveStep =
  | { readonly kind: 'moved' }
  /** No visible message left on the source. */
  | { readonly kind: 'source-empty' }
  /** Visible messages remain, but none may move yet (their FIFO message group has one in flight). */
  | { readonly kind: 'blocked' }
  | { readonly kind: 'failed'; readonly reason: string };

/** The queues and the persistence a {@link MoveTaskService} works on. */
export interface MoveTaskStore {
  /** The queue with this ARN, or undefined. */
  queue(arn: string): { readonly fifo: boolean; readonly visibleMessages: number } | undefined;
  /** ARNs of the queues whose RedrivePolicy names `arn` as their dead-letter queue. */
  deadLetterSourcesOf(arn: string): string[];
  /**
   * Moves the oldest visible message of `task.sourceArn` to `task.destinationArn` (or the message's
   * original source queue) and adds one to `task.moved`, all or nothing: the message is on exactly
   * one of the two queues, and the saved task counts it, whatever happens to the process.
   */
  moveOldest(task: MoveTask): MoveStep;
  saveTask(task: MoveTask): void;
  loadTasks(): MoveTask[];
  forgetTask(taskId: string): void;
}

export interface MoveTaskClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` after `ms`; the returned function cancels that. */
  schedule(callback: () => void, ms: number): () => void;
}

/** FailureReason of a task that was running when the server stopped (see the README, "Local mode"). */
export const INTERRUPTED_BY_RESTART = 'ServerRestartedDuringTask';
/** FailureReason when a message's original source queue is unknown (AWS's wording). */
export const UNKNOWN_MESSAGE_SOURCE = 'CouldNotDetermineMessageSource';
/** FailureReason when the source or destination queue is gone (AWS's wording). */
export const QUEUE_GONE = 'AWS.SimpleQueueService.NonExistentQueue';

/** Tasks AWS lists per source queue at most; older ones are forgotten. */
export const TASKS_KEPT_PER_SOURCE = 10;
/** Messages one tick moves when no rate is set: keeps the server responsive during a big move. */
const UNPACED_MESSAGES_PER_TICK = 100;
/** How soon a task whose next message is held by an in-flight FIFO group looks again. */
const BLOCKED_RETRY_MS = 100;

const ARN_FORMAT = /^arn:[^:]+:sqs:[^:]*:[^:]*:[^:]+$/;
const ACTIVE: ReadonlySet<MoveTaskStatus> = new Set(['RUNNING', 'CANCELLING']);

export interface ListedMoveTask {
  TaskHandle?: string;
  Status: MoveTaskStatus;
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  FailureReason?: string;
  StartedTimestamp: number;
}

export class MoveTaskService {
  private readonly tasks = new Map<string, MoveTask>();
  private readonly timers = new Map<string, () => void>();
  private readonly pacers = new Map<string, MovePacer>();
  private readonly store: MoveTaskStore;
  private readonly clock: MoveTaskClock;
  private readonly newId: () => string;

  /**
   * Loads the stored tasks. A task still RUNNING or CANCELLING was cut off by a server stop: it is
   * marked FAILED ({@link INTERRUPTED_BY_RESTART}) with the count it reached; every message it
   * moved is on the destination and every other one still on the source, so a new task moves the rest.
   */
  constructor(store: MoveTaskStore, clock: MoveTaskClock, newId: () => string) {
    this.store = store;
    this.clock = clock;
    this.newId = newId;
    for (const task of store.loadTasks()) {
      if (ACTIVE.has(task.status)) {
        task.status = 'FAILED';
        task.failureReason = INTERRUPTED_BY_RESTART;
        store.saveTask(task);
      }
      this.tasks.set(task.taskId, task);
    }
  }

  start(input: Record<string, unknown>): { TaskHandle: string } {
    const sourceArn = requiredArn(input, 'SourceArn');
    const source = this.store.queue(sourceArn);
    if (!source) throw notFound('SourceArn');
    if (!this.store.deadLetterSourcesOf(sourceArn).length) {
      throw new SqsApiError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
    }
    const destinationArn = optionalArn(input, 'DestinationArn');
    if (destinationArn !== undefined) {
      const destination = this.store.queue(destinationArn);
      if (!destination) throw notFound('DestinationArn');
      if (destination.fifo !== source.fifo) {
        throw new SqsApiError(
          'InvalidParameterValue',
          `The destination queue must be the same type as the source queue: the source is a ${kind(source.fifo)} queue, the destination a ${kind(destination.fifo)} queue.`,
        );
      }
    }
    const rate = optionalRate(input.MaxNumberOfMessagesPerSecond);
    if ([...this.tasks.values()].some((task) => task.sourceArn === sourceArn && ACTIVE.has(task.status))) {
      throw new SqsApiError('InvalidParameterValue', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    }
    const task: MoveTask = {
      taskId: this.newId(),
      sourceArn,
      destinationArn,
      maxNumberOfMessagesPerSecond: rate,
      status: 'RUNNING',
      moved: 0,
      toMove: source.visibleMessages,
      failureReason: undefined,
      startedTimestamp: this.clock.now(),
    };
    this.tasks.set(task.taskId, task);
    this.store.saveTask(task);
    this.forgetOldTasks(sourceArn);
    if (rate !== undefined) this.pacers.set(task.taskId, new MovePacer(rate, task.startedTimestamp));
    this.scheduleStep(task, 0);
    return { TaskHandle: encodeTaskHandle(task) };
  }

  list(input: Record<string, unknown>): { Results: ListedMoveTask[] } {
    const sourceArn = requiredArn(input, 'SourceArn');
    if (!this.store.queue(sourceArn)) throw notFound('SourceArn');
    const maxResults = input.MaxResults ?? 1;
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > TASKS_KEPT_PER_SOURCE) {
      throw new SqsApiError('InvalidParameterValue', `Value ${String(maxResults)} for parameter MaxResults is invalid. Reason: Must be between 1 and ${TASKS_KEPT_PER_SOURCE}.`);
    }
    return { Results: this.tasksOf(sourceArn).slice(0, maxResults).map(listed) };
  }

  cancel(input: Record<string, unknown>): { ApproximateNumberOfMessagesMoved: number } {
    const handle = input.TaskHandle;
    if (typeof handle !== 'string' || handle === '') throw missingParameter('TaskHandle');
    const parts = decodeTaskHandle(handle);
    if (!parts) throw new SqsApiError('InvalidParameterValue', 'Value for parameter TaskHandle is invalid.');
    if (!this.store.queue(parts.sourceArn)) throw notFound('SourceArn');
    const task = this.tasks.get(parts.taskId);
    if (!task || task.sourceArn !== parts.sourceArn) throw new SqsApiError('ResourceNotFoundException', 'Task does not exist.', 404);
    // AWS documents that only a RUNNING task can be cancelled, not the error it returns otherwise.
    if (task.status !== 'RUNNING') {
      throw new SqsApiError('InvalidParameterValue', `Only a RUNNING message movement task can be cancelled; this one is ${task.status}.`);
    }
    task.status = 'CANCELLING';
    this.store.saveTask(task);
    // The next step settles it as CANCELLED; run it now rather than at the next paced move.
    this.scheduleStep(task, 0);
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  /** Stops every task's timer (the server is stopping); their stored state stays as it is. */
  close(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private step(task: MoveTask): void {
    this.timers.delete(task.taskId);
    try {
      if (task.status === 'CANCELLING') return this.finish(task, 'CANCELLED');
      if (task.status !== 'RUNNING') return;
      const pacer = this.pacers.get(task.taskId);
      let budget = pacer ? Math.min(pacer.due(this.clock.now(), task.moved), UNPACED_MESSAGES_PER_TICK) : UNPACED_MESSAGES_PER_TICK;
      let blocked = false;
      while (budget > 0 && task.moved < task.toMove) {
        const result = this.store.moveOldest(task);
        if (result.kind === 'moved') budget--;
        else if (result.kind === 'source-empty') return this.finish(task, 'COMPLETED');
        else if (result.kind === 'failed') return this.finish(task, 'FAILED', result.reason);
        else {
          blocked = true;
          break;
        }
      }
      if (task.moved >= task.toMove) return this.finish(task, 'COMPLETED');
      const now = this.clock.now();
      const wait = blocked ? BLOCKED_RETRY_MS : pacer ? Math.max(0, pacer.dueAt(task.moved) - now) : 0;
      this.scheduleStep(task, wait);
    } catch (error) {
      // The store could not write (e.g. it was closed while the server stops): the task ends here.
      task.status = 'FAILED';
      task.failureReason = (error as Error).message || 'InternalError';
      this.pacers.delete(task.taskId);
    }
  }

  private finish(task: MoveTask, status: MoveTaskStatus, failureReason?: string): void {
    task.status = status;
    task.failureReason = failureReason;
    this.pacers.delete(task.taskId);
    this.store.saveTask(task);
  }

  private scheduleStep(task: MoveTask, ms: number): void {
    this.timers.get(task.taskId)?.();
    this.timers.set(task.taskId, this.clock.schedule(() => this.step(task), ms));
  }

  /** Tasks of a source, most recent first. */
  private tasksOf(sourceArn: string): MoveTask[] {
    return [...this.tasks.values()].filter((task) => task.sourceArn === sourceArn).sort((a, b) => b.startedTimestamp - a.startedTimestamp);
  }

  private forgetOldTasks(sourceArn: string): void {
    for (const task of this.tasksOf(sourceArn).slice(TASKS_KEPT_PER_SOURCE)) {
      if (ACTIVE.has(task.status)) continue;
      this.tasks.delete(task.taskId);
      this.store.forgetTask(task.taskId);
    }
  }
}

function listed(task: MoveTask): ListedMoveTask {
  return {
    ...(task.status === 'RUNNING' ? { TaskHandle: encodeTaskHandle(task) } : {}),
    Status: task.status,
    SourceArn: task.sourceArn,
    ...(task.destinationArn !== undefined ? { DestinationArn: task.destinationArn } : {}),
    ...(task.maxNumberOfMessagesPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: task.maxNumberOfMessagesPerSecond } : {}),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.status === 'FAILED' && task.failureReason !== undefined ? { FailureReason: task.failureReason } : {}),
    StartedTimestamp: task.startedTimestamp,
  };
}

function requiredArn(input: Record<string, unknown>, parameter: string): string {
  const value = input[parameter];
  if (value === undefined || value === null || value === '') throw missingParameter(parameter);
  return checkedArn(value, parameter);
}

function optionalArn(input: Record<string, unknown>, parameter: string): string | undefined {
  const value = input[parameter];
  return value === undefined || value === null || value === '' ? undefined : checkedArn(value, parameter);
}

function checkedArn(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || !ARN_FORMAT.test(value)) {
    throw new SqsApiError('InvalidParameterValue', `You must use this format to specify the ${parameter}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`);
  }
  return value;
}

function optionalRate(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_MESSAGES_PER_SECOND || value > MAX_MESSAGES_PER_SECOND) {
    throw new SqsApiError(
      'InvalidParameterValue',
      `Value ${String(value)} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between ${MIN_MESSAGES_PER_SECOND} and ${MAX_MESSAGES_PER_SECOND}.`,
    );
  }
  return value;
}

function notFound(parameter: string): SqsApiError {
  return new SqsApiError('ResourceNotFoundException', `The resource that you specified for the ${parameter} parameter doesn't exist.`, 404);
}

function kind(fifo: boolean): string {
  return fifo ? 'FIFO' : 'standard';
}
