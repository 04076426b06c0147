import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import type { RandomSource } from './random-source.js';
import { seededRandomSource } from './random-source.js';
import { rational } from './rational.js';
import { sampleBernoulli, sampleUniformBigInt, sampleUniformInt } from './uniform.js';

const scripted = (words: number[]): RandomSource & { used: () => number } => {
  let i = 0;
  return {
    nextUint32: () => {
      const w = words[i++];
      if (w === undefined) throw new Error('script exhausted');
      return w;
    },
    used: () => i,
  };
};

describe('sampleUniformInt', () => {
  it('redraws words at or above the largest multiple of n instead of folding them (no modulo bias)', () => {
    // n = 3: 2^32 = 3·1431655765 + 1, so only the word 2^32 − 1 is rejected.
    const rng = scripted([2 ** 32 - 1, 2 ** 32 - 2, 5]);
    expect(sampleUniformInt(3, rng)).toBe((2 ** 32 - 2) % 3);
    expect(rng.used()).toBe(2);
    // n = 2^31 + 1 rejects almost half of all words.
    const big = scripted([2 ** 31 + 1, 2 ** 32 - 1, 7]);
    expect(sampleUniformInt(2 ** 31 + 1, big)).toBe(7);
  });

  it('is uniform over a die (chi-square, fixed seed)', () => {
    const rng = seededRandomSource(11);
    const counts = new Array<number>(6).fill(0);
    const n = 120_000;
    for (let i = 0; i < n; i++) counts[sampleUniformInt(6, rng)]!++;
    const chi = counts.reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi).toBeLessThan(20.5); // χ²(5) at p = 0.001
  });

  it('refuses a bound that is not an integer in [1, 2^32]', () => {
    const rng = seededRandomSource(1);
    expect(() => sampleUniformInt(0, rng)).toThrow(CleanRoomError);
    expect(() => sampleUniformInt(2.5, rng)).toThrow(/n=2.5/);
    expect(() => sampleUniformInt(2 ** 32 + 1, rng)).toThrow(CleanRoomError);
    expect(sampleUniformInt(1, rng)).toBe(0);
  });
});

describe('sampleUniformBigInt', () => {
  it('stays in range for bounds beyond 32 bits, masking the top word and rejecting the rest', () => {
    const rng = seededRandomSource(3);
    const n = 10n ** 30n + 7n;
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = sampleUniformBigInt(n, rng);
      expect(x >= 0n && x < n).toBe(true);
      sum += Number((x * 1000n) / n) / 1000;
    }
    expect(Math.abs(sum / 20_000 - 0.5)).toBeLessThan(0.01); // sd of the mean ≈ 0.002
  });

  it('rejects a masked value ≥ n and draws again', () => {
    // n = 2^32 + 1 needs 33 bits: top word masked to 1 bit, then one full word.
    const rng = scripted([1, 5, 0, 9]);
    expect(sampleUniformBigInt(2n ** 32n + 1n, rng)).toBe(9n);
    expect(() => sampleUniformBigInt(0n, rng)).toThrow(CleanRoomError);
  });
});

describe('sampleBernoulli', () => {
  it('is exact at 0 and 1 and refuses p outside [0, 1]', () => {
    const rng = seededRandomSource(1);
    expect(sampleBernoulli(rational(0n), rng)).toBe(false);
    expect(sampleBernoulli(rational(1n), rng)).toBe(true);
    expect(() => sampleBernoulli(rational(3n, 2n), rng)).toThrow(/p=3\/2/);
    expect(() => sampleBernoulli(rational(-1n, 2n), rng)).toThrow(CleanRoomError);
  });

  it('hits a rational probability, including a denominator beyond 64 bits', () => {
    const rng = seededRandomSource(5);
    const n = 200_000;
    for (const p of [rational(1n, 3n), rational(10n ** 20n, 3n * 10n ** 20n + 1n)]) {
      let hits = 0;
      for (let i = 0; i < n; i++) if (sampleBernoulli(p, rng)) hits++;
      const expected = Number(p.num) / Number(p.den);
      expect(Math.abs(hits / n - expected)).toBeLessThan(5 * Math.sqrt((expected * (1 - expected)) / n));
    }
  });
});
