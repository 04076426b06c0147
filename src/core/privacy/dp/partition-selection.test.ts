import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { partitionThreshold, selectPartitions } from './partition-selection.js';
import { seededRandomSource } from './random-source.js';
import { rational } from './rational.js';

/** P[a group of exactly one person is released] = P[X ≥ τ − 1] = q^(τ−1)/(1+q). */
const singletonRelease = (threshold: bigint, t: number): number => {
  const q = Math.exp(-1 / t);
  return q ** (Number(threshold) - 1) / (1 + q);
};

describe('partitionThreshold', () => {
  it.each([
    [1, 1e-6, 1],
    [1, 1e-6, 5],
    [0.5, 1e-9, 3],
    [2, 1e-5, 10],
  ])('ε=%f, δ=%f, k=%i: the smallest τ releasing a singleton with probability ≤ δ/k', (epsilon, delta, k) => {
    const { threshold, scale } = partitionThreshold({ epsilon, delta, maxGroupsPerPerson: k });
    const t = k / epsilon;
    expect(Number(scale.num) / Number(scale.den)).toBeCloseTo(t, 12);
    expect(singletonRelease(threshold, t)).toBeLessThanOrEqual(delta / k);
    expect(singletonRelease(threshold - 1n, t)).toBeGreaterThan(delta / k);
  });

  it('gives the documented example: ε = 1, δ = 1e−6, k = 1 → τ = 15', () => {
    expect(partitionThreshold({ epsilon: 1, delta: 1e-6, maxGroupsPerPerson: 1 })).toEqual({ threshold: 15n, scale: rational(1n) });
  });

  it('refuses δ outside (0, 1) and unbounded contributions', () => {
    expect(() => partitionThreshold({ epsilon: 1, delta: 0, maxGroupsPerPerson: 1 })).toThrow(/delta=0/);
    expect(() => partitionThreshold({ epsilon: 1, delta: 1, maxGroupsPerPerson: 1 })).toThrow(CleanRoomError);
    expect(() => partitionThreshold({ epsilon: 1, delta: 1e-6, maxGroupsPerPerson: 0 })).toThrow(/maxGroupsPerPerson=0/);
  });
});

describe('selectPartitions', () => {
  it('releases large groups with their noisy count, drops tiny ones name and all', () => {
    const rng = seededRandomSource(8);
    const kept = selectPartitions(
      [
        ['big', 1000n],
        ['medium', 200],
        ['secret', 1n],
      ],
      { epsilon: 1, delta: 1e-6, maxGroupsPerPerson: 1, rng },
    );
    expect(kept.map((p) => p.key)).toEqual(['big', 'medium']);
    expect(JSON.stringify(kept, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('secret');
    for (const p of kept) expect(p.halfWidth).toBe(3n);
    expect(Math.abs(Number(kept[0]!.noisyCount) - 1000)).toBeLessThan(30);
  });

  it('releases a one-person group at the designed rate (≤ δ/k), checked with a large δ over 200 000 groups', () => {
    const options = { epsilon: 1, delta: 0.05, maxGroupsPerPerson: 2 };
    const { threshold } = partitionThreshold(options);
    const expected = singletonRelease(threshold, 2);
    expect(expected).toBeLessThanOrEqual(0.025);
    const n = 200_000;
    const groups = Array.from({ length: n }, (_, i) => [i, 1n] as const);
    const released = selectPartitions(groups, { ...options, rng: seededRandomSource(12) }).length / n;
    expect(Math.abs(released - expected)).toBeLessThan(5 * Math.sqrt((expected * (1 - expected)) / n));
  });
});
