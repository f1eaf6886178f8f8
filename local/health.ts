/**
 * A one-line health summary per queue for the local run, computed with the same definitions the
 * dashboard and the alarms use (model/metrics.ts): time to drain from the visible backlog and the
 * messages deleted over the last period, and the consumer's error rate from its invocations and the
 * invocations that failed as a whole (Lambda's `Errors`: an error, a timeout or a crash; a partial
 * batch failure is not one). So "drains in 40 s" locally means what the time-to-drain widget says.
 */
import { ERROR_RATE, TIME_TO_DRAIN } from '../model';
import type { LocalPipeline } from './pipeline';
import type { QueueProgress } from './progress';

/** One queue at one moment: what SQS reports now and the consumer's running totals. */
export interface QueueReading {
  readonly visible: number;
  readonly deleted: number;
  readonly invocations: number;
  readonly errors: number;
}

export interface HealthReading {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** By logical queue name. */
  readonly queues: ReadonlyMap<string, QueueReading>;
}

export interface QueueHealth {
  readonly queue: string;
  readonly visible: number;
  /** Over the window: messages deleted, invocations and failed invocations. */
  readonly deleted: number;
  readonly invocations: number;
  readonly errors: number;
  /** Seconds of the window the figures cover (up to the period). */
  readonly seconds: number;
  /** TIME_TO_DRAIN over the window; 0 when nothing was deleted (no estimate), as in CloudWatch. */
  readonly timeToDrainSeconds: number;
  /** ERROR_RATE over the window, in percent. */
  readonly errorRatePercent: number;
}

/** The reading behind a progress refresh: `rows` from readProgress, totals from the mappings. */
export function healthReading(pipeline: LocalPipeline, rows: readonly QueueProgress[], at: number): HealthReading {
  const queues = new Map<string, QueueReading>();
  for (const row of rows) {
    const stats = pipeline.consumers.find((consumer) => consumer.queue.spec.name === row.queue)?.mapping.stats();
    queues.set(row.queue, { visible: row.waiting, deleted: stats?.processed ?? 0, invocations: stats?.invocations ?? 0, errors: stats?.batchFailures ?? 0 });
  }
  return { at, queues };
}

/** Keeps the readings of the last period and computes each queue's health over them. */
export class HealthWindow {
  private readings: HealthReading[] = [];

  /** @param periodSeconds the window, as the dashboard's period. Range 10 – 3,600. @default 60 */
  constructor(private readonly periodSeconds = 60) {}

  add(reading: HealthReading): void {
    this.readings.push(reading);
    // Keep the newest reading at or before the window's start, so the window covers a whole period.
    const start = reading.at - this.periodSeconds * 1000;
    while (this.readings.length > 2 && this.readings[1]!.at <= start) this.readings.shift();
  }

  current(): QueueHealth[] {
    const first = this.readings[0];
    const last = this.readings[this.readings.length - 1];
    if (!first || !last || last === first) return [];
    const seconds = (last.at - first.at) / 1000;
    return [...last.queues].map(([queue, now]) => {
      const then = first.queues.get(queue) ?? { visible: 0, deleted: 0, invocations: 0, errors: 0 };
      const deleted = now.deleted - then.deleted;
      const invocations = now.invocations - then.invocations;
      const errors = now.errors - then.errors;
      return {
        queue,
        visible: now.visible,
        deleted,
        invocations,
        errors,
        seconds,
        timeToDrainSeconds: TIME_TO_DRAIN.compute({ visible: now.visible, deleted }, seconds),
        errorRatePercent: ERROR_RATE.compute({ errors, invocations }, seconds),
      };
    });
  }
}

/** `health (last 60 s): order drains in 12 s, errors 0 % of 8 invocations | …` */
export function healthLine(health: readonly QueueHealth[]): string {
  if (health.length === 0) return 'health: measuring…';
  const seconds = Math.round(Math.max(...health.map((queue) => queue.seconds)));
  const parts = health.map((queue) => {
    const drain =
      queue.visible === 0 ? 'empty' : queue.deleted === 0 ? `${queue.visible} waiting, nothing deleted` : `drains in ${formatSeconds(queue.timeToDrainSeconds)}`;
    const errors = queue.invocations === 0 ? 'no invocations' : `errors ${queue.errorRatePercent.toFixed(queue.errorRatePercent < 10 && queue.errorRatePercent > 0 ? 1 : 0)} % of ${queue.invocations}`;
    return `${queue.queue} ${drain}, ${errors}`;
  });
  return `health (last ${seconds} s, as the dashboard computes it): ${parts.join(' | ')}`;
}

function formatSeconds(seconds: number): string {
  return seconds < 120 ? `${Math.ceil(seconds)} s` : `${Math.ceil(seconds / 60)} min`;
}
