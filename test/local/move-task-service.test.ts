/**
 * The rules of message move tasks (local/fauxqs-extensions/move-tasks/move-task-service.ts) on an
 * in-memory store and a fake clock: pacing by count per simulated second, one active task per
 * source, cancel part-way, the bound on messages moved, listing shapes, AWS's errors, and what a
 * restart does to a running task. The same service runs inside the embedded server; the tests
 * against the real server are in test/ops/.
 */
import { INTERRUPTED_BY_RESTART, MoveTaskService, type MoveStep, type MoveTask, type MoveTaskClock, type MoveTaskStore } from '../../local/fauxqs-extensions/move-tasks/move-task-service';
import { MovePacer } from '../../local/fauxqs-extensions/move-tasks/pacer';
import { SqsApiError } from '../../local/fauxqs-extensions/sqs-api-error';

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const DLQ = arn('orders-dlq');
const MAIN = arn('orders');

/** Timers run only when the test advances the clock. */
class FakeClock implements MoveTaskClock {
  private time = 1_000_000;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback, id: this.nextId++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate !== timer);
    };
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }
}

interface FakeQueue {
  fifo: boolean;
  messages: string[];
  redrivesTo?: string;
}

/** Queues as arrays of message bodies; a move takes the head of the source. */
class FakeStore implements MoveTaskStore {
  readonly queues = new Map<string, FakeQueue>();
  readonly saved = new Map<string, MoveTask>();
  /** Makes the next moves answer this instead of moving. */
  nextSteps: MoveStep[] = [];

  constructor(messages: number) {
    this.queues.set(MAIN, { fifo: false, messages: [], redrivesTo: DLQ });
    this.queues.set(DLQ, { fifo: false, messages: Array.from({ length: messages }, (_, i) => `m${i}`) });
  }

  queue(queueArn: string) {
    const queue = this.queues.get(queueArn);
    return queue && { fifo: queue.fifo, visibleMessages: queue.messages.length };
  }

  deadLetterSourcesOf(queueArn: string): string[] {
    return [...this.queues].filter(([, queue]) => queue.redrivesTo === queueArn).map(([name]) => name);
  }

  moveOldest(task: MoveTask): MoveStep {
    const scripted = this.nextSteps.shift();
    if (scripted) return scripted;
    const source = this.queues.get(task.sourceArn)!;
    const message = source.messages.shift();
    if (message === undefined) return { kind: 'source-empty' };
    this.queues.get(task.destinationArn ?? MAIN)!.messages.push(message);
    task.moved += 1;
    this.saveTask(task);
    return { kind: 'moved' };
  }

  saveTask(task: MoveTask): void {
    this.saved.set(task.taskId, { ...task });
  }

  loadTasks(): MoveTask[] {
    return [...this.saved.values()].map((task) => ({ ...task }));
  }

  forgetTask(taskId: string): void {
    this.saved.delete(taskId);
  }
}

function setUp(messages: number) {
  const store = new FakeStore(messages);
  const clock = new FakeClock();
  let id = 0;
  const service = new MoveTaskService(store, clock, () => `task-${++id}`);
  const latest = () => service.list({ SourceArn: DLQ }).Results[0]!;
  return { store, clock, service, latest };
}

function expectSqsError(action: () => unknown, code: string, message: string | RegExp, statusCode = 400): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SqsApiError);
  expect(thrown).toMatchObject({ code, statusCode, message: typeof message === 'string' ? message : expect.stringMatching(message) });
}

describe('pacing (fake clock, counts per simulated second)', () => {
  test('MaxNumberOfMessagesPerSecond 2: never more than 2 moves in any simulated second, all 10 moved after 4.5 s', () => {
    const { clock, service, latest } = setUp(10);
    service.start({ SourceArn: DLQ, MaxNumberOfMessagesPerSecond: 2 });
    const movedAt: number[] = [];
    for (let t = 0; t <= 6_000; t += 50) {
      clock.advance(t === 0 ? 0 : 50);
      while (movedAt.length < latest().ApproximateNumberOfMessagesMoved) movedAt.push(t);
    }
    expect(movedAt).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500]);
    for (const start of movedAt) expect(movedAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(2);
    expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 10, ApproximateNumberOfMessagesToMove: 10, MaxNumberOfMessagesPerSecond: 2 });
  });

  test('a late tick catches up only on what was due, never ahead of the schedule', () => {
    const pacer = new MovePacer(5, 0);
    expect(pacer.due(0, 0)).toBe(1);
    expect(pacer.due(999, 1)).toBe(4);
    expect(pacer.due(1_000, 5)).toBe(1);
    expect(pacer.due(10_000, 3)).toBe(48);
    expect(pacer.dueAt(5)).toBe(1_000);
    expect(() => new MovePacer(0, 0)).toThrow(RangeError);
    expect(() => new MovePacer(501, 0)).toThrow(RangeError);
  });

  test('without a rate, 250 messages move in ticks of 100 and the task completes', () => {
    const { clock, service, latest, store } = setUp(250);
    const schedule = jest.spyOn(clock, 'schedule');
    service.start({ SourceArn: DLQ });
    clock.advance(0);
    expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 250 });
    // The first step at start, then one after each full tick of 100: 0 – 99, 100 – 199, 200 – 249.
    expect(schedule.mock.calls.map(([, ms]) => ms)).toEqual([0, 0, 0]);
    expect(store.queues.get(MAIN)!.messages).toEqual(Array.from({ length: 250 }, (_, i) => `m${i}`));
  });
});

describe('task lifecycle', () => {
  test('one active task per source: a second start is refused while the first runs, accepted after it completes', () => {
    const { clock, service, latest } = setUp(4);
    service.start({ SourceArn: DLQ, MaxNumberOfMessagesPerSecond: 1 });
    expectSqsError(
      () => service.start({ SourceArn: DLQ }),
      'InvalidParameterValue',
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
    clock.advance(5_000);
    expect(latest().Status).toBe('COMPLETED');
    expect(service.start({ SourceArn: DLQ }).TaskHandle).toEqual(expect.any(String));
  });

  test('cancel stops a paced move part-way: CANCELLING, then CANCELLED with the count reached; the rest stays on the DLQ', () => {
    const { clock, service, latest, store } = setUp(10);
    const { TaskHandle } = service.start({ SourceArn: DLQ, MaxNumberOfMessagesPerSecond: 1 });
    clock.advance(2_000);
    expect(service.cancel({ TaskHandle })).toEqual({ ApproximateNumberOfMessagesMoved: 3 });
    expect(latest()).toMatchObject({ Status: 'CANCELLING', ApproximateNumberOfMessagesMoved: 3 });
    expect(latest().TaskHandle).toBeUndefined();
    clock.advance(0);
    clock.advance(10_000);
    expect(latest()).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 10 });
    expect(store.queues.get(MAIN)!.messages).toEqual(['m0', 'm1', 'm2']);
    expect(store.queues.get(DLQ)!.messages).toHaveLength(7);
    expectSqsError(() => service.cancel({ TaskHandle }), 'InvalidParameterValue', 'Only a RUNNING message movement task can be cancelled; this one is CANCELLED.');
  });

  test('the task moves at most the messages visible when it started (no loop when the consumer still fails)', () => {
    const { clock, service, latest, store } = setUp(3);
    service.start({ SourceArn: DLQ, MaxNumberOfMessagesPerSecond: 1 });
    store.queues.get(DLQ)!.messages.push('late-1', 'late-2');
    clock.advance(10_000);
    expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 });
    expect(store.queues.get(DLQ)!.messages).toEqual(['late-1', 'late-2']);
  });

  test('an empty DLQ completes at once with 0 of 0', () => {
    const { clock, service, latest } = setUp(0);
    service.start({ SourceArn: DLQ });
    clock.advance(0);
    expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 0, ApproximateNumberOfMessagesToMove: 0 });
  });

  test('a message held by an in-flight FIFO group is waited for, then moved', () => {
    const { clock, service, latest, store } = setUp(2);
    store.nextSteps = [{ kind: 'blocked' }, { kind: 'blocked' }];
    service.start({ SourceArn: DLQ });
    clock.advance(0);
    expect(latest()).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 0 });
    clock.advance(250);
    expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 2 });
  });

  test("the store's failure ends the task FAILED with its reason", () => {
    const { clock, service, latest, store } = setUp(5);
    service.start({ SourceArn: DLQ });
    store.nextSteps = [{ kind: 'moved' }, { kind: 'failed', reason: 'AWS.SimpleQueueService.NonExistentQueue' }];
    clock.advance(0);
    expect(latest()).toMatchObject({ Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue' });
  });

  test('after a restart, a task that was running is FAILED with its count; a new task may start', () => {
    const first = setUp(10);
    first.service.start({ SourceArn: DLQ, MaxNumberOfMessagesPerSecond: 1 });
    first.clock.advance(2_000);
    first.service.close();
    // A new service over the same store: what the server does when it starts on a persisted data dir.
    const restarted = new MoveTaskService(first.store, new FakeClock(), () => 'after-restart');
    const [task] = restarted.list({ SourceArn: DLQ }).Results;
    expect(task).toMatchObject({ Status: 'FAILED', FailureReason: INTERRUPTED_BY_RESTART, ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 10 });
    expect(first.store.queues.get(DLQ)!.messages).toHaveLength(7);
    expect(restarted.start({ SourceArn: DLQ }).TaskHandle).toEqual(expect.any(String));
  });
});

describe('listing', () => {
  test('most recent first, at most MaxResults (default 1, up to 10 kept); TaskHandle only while RUNNING; DestinationArn only when given', () => {
    const { clock, service } = setUp(1);
    for (let i = 0; i < 12; i++) {
      service.start({ SourceArn: DLQ, ...(i === 11 ? { DestinationArn: MAIN, MaxNumberOfMessagesPerSecond: 3 } : {}) });
      clock.advance(10);
    }
    const all = service.list({ SourceArn: DLQ, MaxResults: 10 }).Results;
    expect(all).toHaveLength(10);
    expect(all[0]).toEqual({
      Status: 'COMPLETED',
      SourceArn: DLQ,
      DestinationArn: MAIN,
      MaxNumberOfMessagesPerSecond: 3,
      ApproximateNumberOfMessagesMoved: 0,
      ApproximateNumberOfMessagesToMove: 0,
      StartedTimestamp: expect.any(Number),
    });
    expect(all[1]).not.toHaveProperty('DestinationArn');
    expect(all.map((task) => task.StartedTimestamp)).toEqual([...all.map((task) => task.StartedTimestamp)].sort((a, b) => b - a));
    expect(service.list({ SourceArn: DLQ }).Results).toHaveLength(1);
  });
});

describe("AWS's errors", () => {
  test.each([
    [{}, 'MissingParameter', 'The request must contain the parameter SourceArn.', 400],
    [{ SourceArn: 'orders-dlq' }, 'InvalidParameterValue', /^You must use this format to specify the SourceArn: arn:/, 400],
    [{ SourceArn: arn('nope') }, 'ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.", 404],
    [{ SourceArn: MAIN }, 'InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.', 400],
    [{ SourceArn: DLQ, DestinationArn: arn('nope') }, 'ResourceNotFoundException', "The resource that you specified for the DestinationArn parameter doesn't exist.", 404],
    [{ SourceArn: DLQ, MaxNumberOfMessagesPerSecond: 0 }, 'InvalidParameterValue', 'Value 0 for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.', 400],
    [{ SourceArn: DLQ, MaxNumberOfMessagesPerSecond: 501 }, 'InvalidParameterValue', 'Value 501 for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500.', 400],
  ])('StartMessageMoveTask %j → %s', (input, code, message, statusCode) => {
    const { service, store } = setUp(1);
    expectSqsError(() => service.start(input), code, message, statusCode);
    expect(store.saved.size).toBe(0);
  });

  test('a FIFO DLQ cannot be redriven to a standard queue', () => {
    const { service, store } = setUp(1);
    store.queues.get(DLQ)!.fifo = true;
    store.queues.set(arn('other'), { fifo: false, messages: [] });
    expectSqsError(() => service.start({ SourceArn: DLQ, DestinationArn: arn('other') }), 'InvalidParameterValue', /same type as the source queue: the source is a FIFO queue/);
  });

  test('CancelMessageMoveTask and ListMessageMoveTasks reject bad handles, unknown tasks and MaxResults out of 1 – 10', () => {
    const { service } = setUp(1);
    expectSqsError(() => service.cancel({ TaskHandle: 'not-a-handle' }), 'InvalidParameterValue', 'Value for parameter TaskHandle is invalid.');
    const handleFor = (sourceArn: string) => Buffer.from(JSON.stringify({ taskId: 'x', sourceArn })).toString('base64');
    expectSqsError(() => service.cancel({ TaskHandle: handleFor(arn('nope')) }), 'ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.", 404);
    expectSqsError(() => service.cancel({ TaskHandle: handleFor(DLQ) }), 'ResourceNotFoundException', 'Task does not exist.', 404);
    expectSqsError(() => service.list({ SourceArn: DLQ, MaxResults: 11 }), 'InvalidParameterValue', 'Value 11 for parameter MaxResults is invalid. Reason: Must be between 1 and 10.');
  });
});
