import { CleanRoomError } from '../../errors.js';
import type { RandomSource } from './random-source.js';
import type { Rational } from './rational.js';

const TWO_32 = 2 ** 32;

/**
 * An exactly uniform integer in `[0, n)` for `1 ≤ n ≤ 2**32`, by rejection sampling: words
 * at or above the largest multiple of `n` are redrawn, so there is no modulo bias.
 *
 * @example
 * ```ts
 * sampleUniformInt(6, rng); // a fair die, 0..5
 * ```
 */
export function sampleUniformInt(n: number, rng: RandomSource): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
    throw new CleanRoomError('invalid_argument', `Cannot sample uniformly from [0, n) as n=${n}: n must be an integer in [1, 2^32]`);
  }
  const limit = TWO_32 - (TWO_32 % n);
  for (;;) {
    const word = rng.nextUint32();
    if (word < limit) return word % n;
  }
}

/**
 * An exactly uniform integer in `[0, n)` for any BigInt `n ≥ 1`: draws the bit length of
 * `n - 1` from whole words, masks the top word, and rejects values ≥ n (acceptance > 1/2).
 *
 * @example
 * ```ts
 * sampleUniformBigInt(10n ** 30n, rng); // 0n ≤ x < 10n ** 30n
 * ```
 */
export function sampleUniformBigInt(n: bigint, rng: RandomSource): bigint {
  if (n < 1n) throw new CleanRoomError('invalid_argument', `Cannot sample uniformly from [0, n) as n=${n}: n must be ≥ 1`);
  if (n <= BigInt(TWO_32)) return BigInt(sampleUniformInt(Number(n), rng));
  const bits = (n - 1n).toString(2).length;
  const words = Math.ceil(bits / 32);
  const topMask = BigInt(2 ** (bits - 32 * (words - 1)) - 1);
  for (;;) {
    let x = BigInt(rng.nextUint32()) & topMask;
    for (let i = 1; i < words; i++) x = (x << 32n) | BigInt(rng.nextUint32());
    if (x < n) return x;
  }
}

/**
 * Bernoulli(p) for a rational `0 ≤ p ≤ 1`, exactly: true iff a uniform integer in
 * `[0, den)` falls below `num`.
 *
 * @example
 * ```ts
 * sampleBernoulli({ num: 1n, den: 3n }, rng); // true with probability exactly 1/3
 * ```
 */
export function sampleBernoulli(p: Rational, rng: RandomSource): boolean {
  if (p.num < 0n || p.num > p.den) {
    throw new CleanRoomError('invalid_argument', `Cannot sample Bernoulli(p) as p=${p.num}/${p.den}: p must be in [0, 1]`);
  }
  if (p.num === 0n) return false;
  if (p.num === p.den) return true;
  return sampleUniformBigInt(p.den, rng) < p.num;
}
