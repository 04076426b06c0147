import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { sampleDiscreteLaplace } from './discrete-laplace.js';
import { cryptoRandomSource, seededRandomSource } from './random-source.js';
import { rational, type Rational } from './rational.js';
import { discreteLaplacePmf, goodnessOfFit, momentsOf } from './testing/statistics.js';

const draw = (scale: Rational, n: number, seed: number): bigint[] => {
  const rng = seededRandomSource(seed);
  return Array.from({ length: n }, () => sampleDiscreteLaplace(scale, rng));
};

describe('sampleDiscreteLaplace (Algorithm 2)', () => {
  it.each([
    ['an integer scale', rational(3n)],
    ['a fractional scale above 1', rational(7n, 2n)],
    ['a scale below 1 (den > num)', rational(1n, 3n)],
  ])('matches the exact pmf for %s: shape, mean and variance over 200 000 draws', (_, scale) => {
    const n = 200_000;
    const t = Number(scale.num) / Number(scale.den);
    const pmf = discreteLaplacePmf(t);
    const exact = momentsOf(pmf, Math.ceil(60 * t) + 10);
    const fit = goodnessOfFit(draw(scale, n, 1234), pmf);
    expect(fit.pValue).toBeGreaterThan(1e-3);
    expect(fit.cdfDistance).toBeLessThan(fit.cdfCritical);
    expect(Math.abs(fit.mean)).toBeLessThan(5 * Math.sqrt(exact.variance / n));
    const varianceError = Math.sqrt((exact.fourth - exact.variance ** 2) / n);
    expect(Math.abs(fit.variance - exact.variance)).toBeLessThan(5 * varianceError);
  });

  it('has variance 2q/(1−q)² at a large scale (10⁶, as for sums in cents)', () => {
    const n = 50_000;
    const samples = draw(rational(1_000_000n), n, 77).map(Number);
    const q = Math.exp(-1e-6);
    const variance = (2 * q) / (1 - q) ** 2;
    const mean = samples.reduce((s, x) => s + x, 0) / n;
    const sampleVariance = samples.reduce((s, x) => s + x * x, 0) / n - mean ** 2;
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(variance / n));
    expect(Math.abs(sampleVariance / variance - 1)).toBeLessThan(5 * Math.sqrt(5 / n)); // kurtosis 6
  });

  it('is symmetric and counts 0 once (no "−0" double count)', () => {
    const samples = draw(rational(1n, 2n), 100_000, 5);
    const zeros = samples.filter((x) => x === 0n).length / samples.length;
    const q = Math.exp(-2);
    expect(Math.abs(zeros - (1 - q) / (1 + q))).toBeLessThan(0.006);
    const positive = samples.filter((x) => x > 0n).length;
    const negative = samples.filter((x) => x < 0n).length;
    expect(Math.abs(positive - negative)).toBeLessThan(5 * Math.sqrt(positive + negative));
  });

  it('runs on the secure source', () => {
    const rng = cryptoRandomSource();
    const samples = Array.from({ length: 2000 }, () => sampleDiscreteLaplace(rational(2n), rng));
    expect(new Set(samples).size).toBeGreaterThan(5);
  });

  it('refuses a scale ≤ 0', () => {
    expect(() => sampleDiscreteLaplace(rational(0n), seededRandomSource(1))).toThrow(CleanRoomError);
    expect(() => sampleDiscreteLaplace(rational(-1n), seededRandomSource(1))).toThrow(/scale=-1\/1/);
  });
});
