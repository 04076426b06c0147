import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { katzRatio, liftStatistics, newcombeDifference, pooledZTestPValue, waldDifference, wilsonInterval } from './lift-statistics.js';

// ../shared/truth/statsmodels: R PropCIs and Fagerland et al. (2015) values for 7/34 vs 1/34.
const reference = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../../shared/truth/statsmodels/two_proportion_ci_reference.json'), 'utf8')) as {
  diff_p1_minus_p2: Record<string, { ci: [number, number]; tolerance: number }>;
  ratio_p1_over_p2: Record<string, { ci: [number, number]; rtol: number }>;
  point_estimates: { diff: number; relative_lift: number };
};

describe('two-proportion intervals against the shared reference', () => {
  it('matches the Wald difference interval (R PropCIs wald2ci)', () => {
    const { ci, tolerance } = reference.diff_p1_minus_p2.wald_uncorrected!;
    const got = waldDifference(7, 34, 1, 34).ci95;
    expect(Math.abs(got[0] - ci[0])).toBeLessThan(tolerance);
    expect(Math.abs(got[1] - ci[1])).toBeLessThan(tolerance);
  });

  it('matches the Newcombe hybrid score interval (Fagerland 2015)', () => {
    const { ci, tolerance } = reference.diff_p1_minus_p2.newcombe_hybrid_score!;
    const got = newcombeDifference(7, 34, 1, 34);
    expect(got.value).toBeCloseTo(reference.point_estimates.diff, 12);
    expect(Math.abs(got.ci95[0] - ci[0])).toBeLessThan(tolerance);
    expect(Math.abs(got.ci95[1] - ci[1])).toBeLessThan(tolerance);
  });

  it('matches the Katz log risk-ratio interval (Fagerland 2015)', () => {
    const { ci, rtol } = reference.ratio_p1_over_p2.katz_log!;
    const got = katzRatio(7, 34, 1, 34).ci95;
    expect(Math.abs(got[0] - ci[0]) / ci[0]).toBeLessThan(rtol);
    expect(Math.abs(got[1] - ci[1]) / ci[1]).toBeLessThan(rtol);
  });

  it('gives the pooled z-test p-value', () => {
    // z = 0.17647 / sqrt(8/68 * 60/68 * 2/34) = 2.25832; two-sided p = erfc(z / sqrt 2) = 0.0239258
    // (computed independently with Python's math.erfc).
    expect(pooledZTestPValue(7, 34, 1, 34)).toBeCloseTo(0.0239258, 6);
    expect(pooledZTestPValue(10, 100, 10, 100)).toBe(1);
  });

  it('keeps the Wilson interval inside [0, 1]', () => {
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(10, 10)[1]).toBeCloseTo(1, 12);
    expect(wilsonInterval(10, 10)[1]).toBeLessThanOrEqual(1);
  });
});

describe('liftStatistics', () => {
  it('derives rates, relative lift and incremental converters and revenue', () => {
    const s = liftStatistics(
      { people: 1000, converters: 120, conversions: 150, revenue: 12_000, revenueSquares: 2_000_000 },
      { people: 1000, converters: 100, conversions: 110, revenue: 10_000, revenueSquares: 1_600_000 },
    );
    expect(s.exposedRate).toBe(0.12);
    expect(s.holdoutRate).toBe(0.1);
    expect(s.relativeLift.value).toBeCloseTo(0.2, 12);
    expect(s.incrementalConverters.value).toBeCloseTo(20, 9);
    expect(s.incrementalRevenue.value).toBeCloseTo(2000, 9);
    expect(s.incrementalConverters.ci95[0]).toBeLessThan(20);
    expect(s.incrementalConverters.ci95[1]).toBeGreaterThan(20);
    expect(s.incrementalRevenue.ci95[0]).toBeLessThan(2000);
    expect(s.pValue).toBeGreaterThan(0.05);
  });

  it('reports relative lift from the reference point estimates', () => {
    const s = liftStatistics(
      { people: 34, converters: 7, conversions: 7, revenue: 0, revenueSquares: 0 },
      { people: 34, converters: 1, conversions: 1, revenue: 0, revenueSquares: 0 },
    );
    expect(s.relativeLift.value).toBeCloseTo(reference.point_estimates.relative_lift, 12);
  });
});
