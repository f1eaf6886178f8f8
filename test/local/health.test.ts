/**
 * The local run's health line (local/health.ts): time to drain and error rate over the last period,
 * computed with the definitions the dashboard and the alarms use. Readings carry their own
 * timestamps, so nothing here depends on the clock.
 */
import { ERROR_RATE, TIME_TO_DRAIN } from '../../model';
import { HealthWindow, healthLine, type HealthReading } from '../../local/health';

const reading = (seconds: number, queues: Record<string, { visible: number; deleted: number; invocations: number; errors: number }>): HealthReading => ({
  at: 1_000_000 + seconds * 1000,
  queues: new Map(Object.entries(queues)),
});

/** CloudWatch metric math, as far as the two expressions use it: IF, PERIOD, arithmetic, comparisons. */
function cloudWatchMath(expression: string, values: Record<string, number>, periodSeconds: number): number {
  const javascript = expression
    .replace(/PERIOD\(\w+\)/g, String(periodSeconds))
    .replace(/IF\(/g, 'iff(')
    .replace(/\b[a-z]\w*\b/g, (id) => (id === 'iff' ? id : String(values[id] ?? NaN)));
  return new Function('iff', `return ${javascript};`)((condition: boolean, yes: number, no: number) => (condition ? yes : no)) as number;
}

it('computes what the dashboard\'s metric math computes, for the same counts', () => {
  for (const [visible, deleted] of [[30, 60], [0, 10], [500, 3], [12, 0]] as const) {
    expect(TIME_TO_DRAIN.compute({ visible, deleted }, 60)).toBeCloseTo(cloudWatchMath(TIME_TO_DRAIN.expression, { visible, deleted }, 60));
  }
  for (const [errors, invocations] of [[2, 10], [0, 0], [5, 5]] as const) {
    expect(ERROR_RATE.compute({ errors, invocations }, 60)).toBeCloseTo(cloudWatchMath(ERROR_RATE.expression, { errors, invocations }, 60));
  }
});

it('measures the last minute: 60 deleted in 60 s with 30 visible drains in 30 s; 2 failed of 10 invocations is 20 %', () => {
  const window = new HealthWindow(60);
  window.add(reading(0, { order: { visible: 50, deleted: 100, invocations: 40, errors: 1 } }));
  window.add(reading(60, { order: { visible: 30, deleted: 160, invocations: 50, errors: 3 } }));
  expect(window.current()).toEqual([
    { queue: 'order', visible: 30, deleted: 60, invocations: 10, errors: 2, seconds: 60, timeToDrainSeconds: 30, errorRatePercent: 20 },
  ]);
  expect(healthLine(window.current())).toBe('health (last 60 s, as the dashboard computes it): order drains in 30 s, errors 20 % of 10');
});

it('forgets readings older than the period, keeping one at its start', () => {
  const window = new HealthWindow(60);
  for (const [seconds, deleted] of [[0, 0], [30, 100], [60, 130], [90, 190]] as const) {
    window.add(reading(seconds, { order: { visible: 10, deleted, invocations: 0, errors: 0 } }));
  }
  // From 30 s to 90 s: 90 deleted in 60 s.
  expect(window.current()[0]).toMatchObject({ seconds: 60, deleted: 90 });
});

it('says when a queue is empty, when nothing was deleted, and before it has two readings', () => {
  const window = new HealthWindow(60);
  expect(healthLine(window.current())).toBe('health: measuring…');
  window.add(reading(0, { order: { visible: 0, deleted: 0, invocations: 0, errors: 0 }, inventory: { visible: 4, deleted: 7, invocations: 3, errors: 0 } }));
  window.add(reading(20, { order: { visible: 0, deleted: 0, invocations: 0, errors: 0 }, inventory: { visible: 9, deleted: 7, invocations: 3, errors: 0 } }));
  expect(healthLine(window.current())).toBe('health (last 20 s, as the dashboard computes it): order empty, no invocations | inventory 9 waiting, nothing deleted, no invocations');
});
