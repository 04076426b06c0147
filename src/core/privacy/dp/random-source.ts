import { CleanRoomError } from '../../errors.js';

/**
 * Where the samplers get their randomness: uniform 32-bit unsigned integers.
 * Production code uses {@link cryptoRandomSource}; tests may use {@link seededRandomSource}.
 *
 * @example
 * ```ts
 * const rng: RandomSource = cryptoRandomSource();
 * rng.nextUint32(); // 0 ≤ x < 2**32
 * ```
 */
export interface RandomSource {
  nextUint32(): number;
}

/** Words fetched per call to `getRandomValues` (4 KiB), far below its 64 KiB limit. */
const BUFFER_WORDS = 1024;

/**
 * A cryptographically secure source over `globalThis.crypto.getRandomValues` (Node ≥ 20 and
 * browsers), buffered 4 KiB at a time because one call per word is slow.
 *
 * @example
 * ```ts
 * const noise = sampleDiscreteLaplace(rational(10n), cryptoRandomSource());
 * ```
 */
export function cryptoRandomSource(): RandomSource {
  const crypto = globalThis.crypto;
  if (crypto === undefined || typeof crypto.getRandomValues !== 'function') {
    throw new CleanRoomError('internal', 'Cannot create a secure random source: globalThis.crypto.getRandomValues is missing');
  }
  const buffer = new Uint32Array(BUFFER_WORDS);
  let next = BUFFER_WORDS;
  return {
    nextUint32(): number {
      if (next === BUFFER_WORDS) {
        crypto.getRandomValues(buffer);
        next = 0;
      }
      const word = buffer[next]!;
      // Each word is used once; clear it so it does not linger in memory after use.
      buffer[next++] = 0;
      return word;
    },
  };
}

/**
 * A deterministic source (xoshiro128** seeded by splitmix32) for reproducible tests only:
 * it is predictable, so it must never noise a released value.
 *
 * @example
 * ```ts
 * const rng = seededRandomSource(42);
 * rng.nextUint32() === seededRandomSource(42).nextUint32(); // true
 * ```
 */
export function seededRandomSource(seed: number): RandomSource {
  let x = seed >>> 0;
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = [splitmix(), splitmix(), splitmix(), splitmix()] as [number, number, number, number];
  return {
    nextUint32(): number {
      const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
      const t = (s[1] << 9) >>> 0;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = rotl(s[3], 11);
      s[0] >>>= 0;
      s[1] >>>= 0;
      s[2] >>>= 0;
      return result;
    },
  };
}

const rotl = (v: number, k: number): number => ((v << k) | (v >>> (32 - k))) >>> 0;
