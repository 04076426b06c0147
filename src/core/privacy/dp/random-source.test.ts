import { describe, expect, it } from 'vitest';
import { cryptoRandomSource, seededRandomSource } from './random-source.js';

const bitBalance = (words: number[]): number[] =>
  Array.from({ length: 32 }, (_, bit) => words.filter((w) => (w >>> bit) & 1).length / words.length);

describe('cryptoRandomSource', () => {
  it('returns uint32 words with balanced bits, across buffer refills', () => {
    const rng = cryptoRandomSource();
    const words = Array.from({ length: 20_000 }, () => rng.nextUint32());
    for (const w of words) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    expect(new Set(words).size).toBeGreaterThan(19_900);
    // 20 000 fair bits: a share outside 0.5 ± 0.02 is ~5.7 standard deviations away.
    for (const share of bitBalance(words)) expect(Math.abs(share - 0.5)).toBeLessThan(0.02);
  });

  it('gives independent sources different streams', () => {
    const a = cryptoRandomSource();
    const b = cryptoRandomSource();
    expect([a.nextUint32(), a.nextUint32()]).not.toEqual([b.nextUint32(), b.nextUint32()]);
  });
});

describe('seededRandomSource', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const take = (seed: number): number[] => {
      const rng = seededRandomSource(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });

  it('returns uint32 words with balanced bits', () => {
    const rng = seededRandomSource(1);
    const words = Array.from({ length: 20_000 }, () => rng.nextUint32());
    for (const w of words) expect(w >= 0 && w < 2 ** 32 && Number.isInteger(w)).toBe(true);
    for (const share of bitBalance(words)) expect(Math.abs(share - 0.5)).toBeLessThan(0.02);
  });
});
