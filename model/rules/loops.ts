/**
 * No loops: a service must not consume what it publishes, directly or through other services.
 * Messages would circulate for ever (Lambda stops such recursive loops after about 16 rounds and
 * drops the messages: https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html).
 */
import type { EnvironmentName, FunctionDefinition } from '../input';
import type { Problems } from '../problems';

/** Reports each function whose outputs lead back to its own input, with the path. */
export function checkLoops(problems: Problems, environment: EnvironmentName, functions: readonly FunctionDefinition[]): void {
  // queue → the functions consuming it, and what each publishes to.
  const consumers = new Map<string, FunctionDefinition[]>();
  for (const fn of functions) {
    const input = fn.consumes?.queue;
    if (typeof input === 'string') consumers.set(input, [...(consumers.get(input) ?? []), fn]);
  }
  for (const fn of functions) {
    const input = fn.consumes?.queue;
    if (typeof input !== 'string' || !Array.isArray(fn.publishesTo)) continue;
    const path = findPathBack(input, fn, consumers);
    if (path) {
      problems.add(
        { kind: 'function', name: fn.name, environment },
        'publishesTo',
        `must not lead back to the queue it consumes (${path})`,
        fn.publishesTo,
        'a service that consumes what it publishes loops for ever; publish to another queue',
      );
    }
  }
}

/** A path `"a" → fn → "b" → … → "a"` when `start`'s outputs reach `start` again. */
function findPathBack(start: string, first: FunctionDefinition, consumers: ReadonlyMap<string, FunctionDefinition[]>): string | undefined {
  const visited = new Set<string>();
  const walk = (fn: FunctionDefinition, trail: string): string | undefined => {
    for (const output of fn.publishesTo ?? []) {
      if (typeof output !== 'string') continue;
      const step = `${trail} → ${fn.name} → "${output}"`;
      if (output === start) return step;
      if (visited.has(output)) continue;
      visited.add(output);
      for (const next of consumers.get(output) ?? []) {
        const found = walk(next, step);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(first, `"${start}"`);
}
