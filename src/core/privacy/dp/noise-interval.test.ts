import { errorFunction } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { noiseInterval95 } from './noise-interval.js';
import { rational } from './rational.js';
import { discreteGaussianPmf, discreteLaplacePmf } from './testing/statistics.js';

/** P[|X| > h] for a symmetric pmf, summed over the tail (no 1 − inside cancellation). */
const tailBeyond = (pmf: (x: number) => number, h: number, reach: number): number => {
  let outside = 0;
  for (let x = h + 1; x <= reach; x++) outside += 2 * pmf(x);
  return outside;
};

const normalTail = (z: number): number => 0.5 * (1 - errorFunction(z / Math.SQRT2));

describe('noiseInterval95', () => {
  it.each([[1n, 3n], [1n, 1n], [2n, 1n], [7n, 2n], [100n, 1n], [25_000n, 1n]])(
    'discrete Laplace of scale %i/%i: the smallest h with P[|X| > h] ≤ 5% (exact)',
    (num, den) => {
      const t = Number(num) / Number(den);
      const interval = noiseInterval95({ kind: 'discrete_laplace', scale: rational(num, den) });
      const h = Number(interval.halfWidth);
      const pmf = discreteLaplacePmf(t);
      const reach = Math.ceil(80 * t) + 20;
      expect(interval.method).toBe('exact');
      expect(tailBeyond(pmf, h, reach)).toBeLessThanOrEqual(0.05 + 1e-12);
      if (h > 0) expect(tailBeyond(pmf, h - 1, reach)).toBeGreaterThan(0.05);
    },
  );

  it.each([[1n, 4n], [1n, 1n], [10n, 3n], [25n, 1n], [2000n, 1n]])(
    'discrete Gaussian of σ² = %i/%i: h = ⌈1.96σ⌉ covers at least 95% (a bound, checked on the exact pmf)',
    (num, den) => {
      const s2 = Number(num) / Number(den);
      const interval = noiseInterval95({ kind: 'discrete_gaussian', sigma2: rational(num, den) });
      expect(interval.method).toBe('bound');
      expect(interval.label).toMatch(/upper bound/);
      expect(interval.halfWidth).toBe(BigInt(Math.ceil(1.959963984540054 * Math.sqrt(s2))));
      const pmf = discreteGaussianPmf(s2);
      expect(tailBeyond(pmf, Number(interval.halfWidth), Math.ceil(40 * Math.sqrt(s2)) + 10)).toBeLessThanOrEqual(0.05);
    },
  );

  it('rests on the tail comparison P[X ≥ m] ≤ P[N(0, σ²) ≥ m − 1], which holds on the exact pmf', () => {
    for (const s2 of [0.25, 1, 2, 10 / 3, 25, 400]) {
      const sigma = Math.sqrt(s2);
      const pmf = discreteGaussianPmf(s2);
      const reach = Math.ceil(40 * sigma) + 10;
      for (let m = 1; m <= Math.ceil(5 * sigma) + 1; m++) {
        let tail = 0;
        for (let x = m; x <= reach; x++) tail += pmf(x);
        expect(tail, `σ²=${s2}, m=${m}`).toBeLessThanOrEqual(normalTail((m - 1) / sigma) + 1e-7);
      }
    }
  });
});
