/**
 * Several execution environments of one function behind a single `invoke`, for functions invoked
 * on request (the producer's function URL) rather than by a mapping. At most `size` invocations run
 * at once; further requests wait for a free environment, as they would for Lambda concurrency.
 */
import type { InvokeOutcome } from './lambda-process';
import type { FunctionInstance } from './event-source-mapping';

export class LambdaPool {
  private readonly idle: FunctionInstance[] = [];
  private readonly all: FunctionInstance[] = [];
  private readonly waiting: { resolve: (instance: FunctionInstance) => void; reject: (error: Error) => void }[] = [];
  private stopped = false;

  /**
   * @param size execution environments, 1 – 100
   * @param create makes one (lazily, when a request needs it)
   */
  constructor(
    private readonly size: number,
    private readonly create: () => FunctionInstance,
  ) {
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new RangeError(`pool size must be between 1 and 100, but ${size} was provided`);
  }

  get pids(): number[] {
    return this.all.map((instance) => instance.pid).filter((pid): pid is number => pid !== undefined);
  }

  async invoke(event: unknown): Promise<InvokeOutcome> {
    if (this.stopped) throw new Error('invoke after stop');
    const instance = await this.acquire();
    try {
      return await instance.invoke(event);
    } finally {
      this.release(instance);
    }
  }

  /** Stops every environment; requests still waiting for one fail. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('function stopped'));
    await Promise.all(this.all.map((instance) => instance.stop()));
  }

  private acquire(): Promise<FunctionInstance> {
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.all.length < this.size) {
      const instance = this.create();
      this.all.push(instance);
      return Promise.resolve(instance);
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(instance: FunctionInstance): void {
    const next = this.waiting.shift();
    if (next) next.resolve(instance);
    else this.idle.push(instance);
  }
}
