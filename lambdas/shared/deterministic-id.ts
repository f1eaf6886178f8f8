/** Deterministic identifiers: the same inputs always give the same id (redeliveries and retries stay idempotent). */
import { createHash } from 'node:crypto';

/**
 * A 32-hex-character id derived from `parts` (SHA-256, truncated to 128 bits). The parts are
 * separated by a NUL so `('ab', 'c')` and `('a', 'bc')` differ.
 */
export function deterministicId(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** Picks one of `choices` deterministically from `key` (e.g. a warehouse for an order). */
export function deterministicChoice<T>(key: string, choices: readonly [T, ...T[]]): T {
  const index = Number.parseInt(deterministicId(key).slice(0, 8), 16) % choices.length;
  return choices[index]!;
}
