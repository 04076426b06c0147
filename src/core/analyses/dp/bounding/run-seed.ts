import type { RandomSource } from '../../../privacy/dp/random-source.js';

/**
 * A fresh per-run seed: 128 random bits as 32 hex digits. It keys the hash that picks which of
 * a person's rows and groups the contribution bounding keeps, so the choice changes from run
 * to run and no party can steer it. Every DP run (the analyses and custom SQL) draws it here.
 *
 * @example
 * ```ts
 * runSeed(seededRandomSource(1)); // '3f1c…' (32 hex digits)
 * ```
 */
export function runSeed(rng: RandomSource): string {
  return Array.from({ length: 4 }, () => rng.nextUint32().toString(16).padStart(8, '0')).join('');
}
