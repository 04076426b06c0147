import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { clampToRange } from './contribution-bounds.js';
import { toFixedPoint } from './fixed-point.js';
import { noisyCount, noisySum } from './noisy-aggregate.js';
import { seededRandomSource } from './random-source.js';

const one = { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 };

describe('noisyCount', () => {
  it('calibrates the noise from the bounds, never from an assumed sensitivity', () => {
    const rng = seededRandomSource(1);
    expect(noisyCount(100, { bounds: one, budget: { epsilon: 1 }, rng }).mechanism).toEqual({ kind: 'discrete_laplace', parameter: 'scale=1' });
    const wide = noisyCount(100, { bounds: { maxGroupsPerPerson: 3, maxRowsPerGroup: 2 }, budget: { epsilon: 0.5 }, rng });
    expect(wide.mechanism.parameter).toBe('scale=12');
    const gauss = noisyCount(100, { bounds: { maxGroupsPerPerson: 4, maxRowsPerGroup: 1 }, budget: { rho: 0.5 }, rng });
    expect(gauss.mechanism).toEqual({ kind: 'discrete_gaussian', parameter: 'σ²=4' });
  });

  it('returns an integer with its labelled 95% interval around it', () => {
    const v = noisyCount(1234n, { bounds: one, budget: { epsilon: 1 }, rng: seededRandomSource(2) });
    expect(Number.isInteger(v.value)).toBe(true);
    expect(v.interval).toMatchObject({ confidence: 0.95, method: 'exact', halfWidth: 3, low: v.value - 3, high: v.value + 3 });
    expect(v.interval.label).toMatch(/95% interval of the discrete Laplace noise/);
  });

  it.each([
    ['discrete Laplace, ε = 0.5', { epsilon: 0.5 }],
    ['discrete Gaussian, ρ = 0.05', { rho: 0.05 }],
  ] as const)('covers the true count in ≈95%% of 20 000 runs (%s)', (_, budget) => {
    const rng = seededRandomSource(95);
    const n = 20_000;
    let covered = 0;
    for (let i = 0; i < n; i++) {
      const v = noisyCount(500, { bounds: { maxGroupsPerPerson: 2, maxRowsPerGroup: 1 }, budget, rng });
      if (v.interval.low <= 500 && 500 <= v.interval.high) covered++;
    }
    // At least 95% (minus 4 standard errors of sampling), and not wildly wider than needed.
    expect(covered / n).toBeGreaterThan(0.95 - 4 * Math.sqrt((0.95 * 0.05) / n));
    expect(covered / n).toBeLessThan(0.975);
  });

  it('refuses a true count that is not a whole number ≥ 0', () => {
    const rng = seededRandomSource(1);
    expect(() => noisyCount(1.5, { bounds: one, budget: { epsilon: 1 }, rng })).toThrow(/trueCount=1.5/);
    expect(() => noisyCount(-1n, { bounds: one, budget: { epsilon: 1 }, rng })).toThrow(CleanRoomError);
  });
});

describe('noisySum', () => {
  const options = { bounds: one, range: { min: 0, max: 500 }, resolution: 0.01, budget: { epsilon: 1 } };

  it('works in fixed point: clamp, round to steps, sum exactly, noise in steps, scale back', () => {
    const values = [12.34, 999, 0.29, -5];
    const steps = values.reduce((s, v) => s + toFixedPoint(clampToRange(v, options.range), options.resolution), 0n);
    expect(steps).toBe(1234n + 50_000n + 29n);
    const v = noisySum(steps, { ...options, rng: seededRandomSource(4) });
    expect(v.mechanism.parameter).toBe('scale=50000'); // 500 / 0.01 steps per row, ε = 1
    expect(Math.round(v.value * 100)).toBeCloseTo(v.value * 100, 6); // a whole number of cents
    // ≈ t·ln 20 steps for a large scale t: 50 000 · 2.9957 cents.
    expect(v.interval.halfWidth).toBeGreaterThan(1497.8);
    expect(v.interval.halfWidth).toBeLessThan(1497.9);
    expect(v.interval.high - v.interval.low).toBeCloseTo(2 * v.interval.halfWidth, 6);
  });

  it('takes the larger side of a range with negatives (refunds) for the sensitivity', () => {
    const v = noisySum(0n, { ...options, range: { min: -800, max: 500 }, resolution: 1, budget: { rho: 0.5 }, rng: seededRandomSource(5) });
    expect(v.mechanism).toEqual({ kind: 'discrete_gaussian', parameter: 'σ²=640000' });
  });

  it('covers the true sum in ≈95% of runs', () => {
    const rng = seededRandomSource(6);
    const n = 10_000;
    let covered = 0;
    for (let i = 0; i < n; i++) {
      const v = noisySum(123_456n, { ...options, rng });
      if (v.interval.low <= 1234.56 && 1234.56 <= v.interval.high) covered++;
    }
    expect(covered / n).toBeGreaterThan(0.95 - 4 * Math.sqrt((0.95 * 0.05) / n));
    expect(covered / n).toBeLessThan(0.97);
  });

  it('refuses range bounds that are not whole steps', () => {
    expect(() => noisySum(0n, { ...options, range: { min: 0, max: 0.005 }, rng: seededRandomSource(1) })).toThrow(CleanRoomError);
  });
});
