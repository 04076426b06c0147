import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { integerSqrt, sampleDiscreteGaussian } from './discrete-gaussian.js';
import { seededRandomSource } from './random-source.js';
import { rational, type Rational } from './rational.js';
import { discreteGaussianPmf, goodnessOfFit, momentsOf } from './testing/statistics.js';

const draw = (sigma2: Rational, n: number, seed: number): bigint[] => {
  const rng = seededRandomSource(seed);
  return Array.from({ length: n }, () => sampleDiscreteGaussian(sigma2, rng));
};

describe('sampleDiscreteGaussian (Algorithm 3)', () => {
  it.each([
    ['σ² = 1/4 (σ below 1)', rational(1n, 4n)],
    ['σ² = 10/3', rational(10n, 3n)],
    ['σ² = 25', rational(25n)],
    ['σ² = 2000', rational(2000n)],
  ])('matches the exact pmf for %s: shape, mean and variance over 150 000 draws', (_, sigma2) => {
    const n = 150_000;
    const s2 = Number(sigma2.num) / Number(sigma2.den);
    const pmf = discreteGaussianPmf(s2);
    const exact = momentsOf(pmf, Math.ceil(40 * Math.sqrt(s2)) + 10);
    const fit = goodnessOfFit(draw(sigma2, n, 4321), pmf);
    expect(fit.pValue).toBeGreaterThan(1e-3);
    expect(fit.cdfDistance).toBeLessThan(fit.cdfCritical);
    expect(Math.abs(fit.mean)).toBeLessThan(5 * Math.sqrt(exact.variance / n));
    const varianceError = Math.sqrt((exact.fourth - exact.variance ** 2) / n);
    expect(Math.abs(fit.variance - exact.variance)).toBeLessThan(5 * varianceError);
    expect(exact.variance).toBeLessThanOrEqual(s2 * (1 + 1e-12)); // the paper: variance ≤ σ²
  });

  it('has variance σ² at a huge σ² (10¹², as for sums in cents), with BigInt throughout', () => {
    const n = 40_000;
    const samples = draw(rational(10n ** 12n), n, 99).map(Number);
    const mean = samples.reduce((s, x) => s + x, 0) / n;
    const variance = samples.reduce((s, x) => s + x * x, 0) / n - mean ** 2;
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(1e12 / n));
    expect(Math.abs(variance / 1e12 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('refuses σ² ≤ 0', () => {
    expect(() => sampleDiscreteGaussian(rational(0n), seededRandomSource(1))).toThrow(CleanRoomError);
  });
});

describe('integerSqrt', () => {
  it('is ⌊√n⌋ exactly, far beyond double precision', () => {
    for (let n = 0n; n < 2000n; n++) {
      const r = integerSqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    const big = 10n ** 40n + 12345n;
    expect(integerSqrt(big)).toBe(10n ** 20n);
    expect(integerSqrt(10n ** 40n - 1n)).toBe(10n ** 20n - 1n);
  });
});
