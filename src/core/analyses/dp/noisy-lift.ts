import { errorFunction } from 'simple-statistics';
import type { Cell } from '../../engine-port.js';
import type { GuardedTable } from '../../privacy/guard-result.js';
import { Z95 } from '../lift-statistics.js';
import type { Estimate, LiftStatistics } from '../lift-statistics.js';
import { pairArms, type LiftGroup } from '../lift.js';

/** One arm as released under DP: noisy counts and revenue, and the noise's standard deviation of each. */
export interface NoisyLiftArm {
  people: number;
  converters: number;
  conversions: number;
  revenue: number;
}

/** The noise of each released value (standard deviations, the same in every row) and the bound on one person's revenue. */
export interface LiftNoise {
  people: number;
  converters: number;
  revenue: number;
  /** The width of the range one person's revenue in one row can take (m × the value range's width). */
  revenuePerPersonWidth: number;
}

/**
 * Lift statistics from noisy arms. The point estimates are those of `liftStatistics` on the
 * noisy counts; every interval is a normal-approximation (delta-method) interval whose
 * variance adds the noise's variance to the sampling variance, so it is wider than the same
 * interval without DP by what the noise adds:
 *
 * - a rate p̂ = ĉ/n̂: Var ≈ p(1−p)/n + (σc² + p²σn²)/n²;
 * - the rate difference: p̂₁ − p̂₂ ± z·√(V₁ + V₂) (Wald form: Newcombe's score interval has no
 *   place for the noise);
 * - the relative lift: exp(ln(p̂₁/p̂₂) ± z·√(V₁/p₁² + V₂/p₂²)) − 1 (Katz form; 0.5 added to
 *   each converter count when one side has none, as `katzRatio` does);
 * - incremental converters: the difference's interval × exposed people;
 * - revenue per person: Var ≈ w²/(4n) (Popoviciu's bound: the per-person variance cannot be
 *   released under DP, and one person's revenue lies in a range of width w) + (σr² + m²σn²)/n²;
 * - the p-value of the pooled z-test with the noise's variance added to the denominator.
 *
 * Noise standard deviations come from the released 95% half-widths (h / 1.96: for the
 * discrete Laplace this is a little more than its true σ = √2·scale, so the intervals lean
 * wide). Counts are first brought into range: at least one person, converters in [0, people].
 *
 * @example
 * ```ts
 * noisyLiftStatistics({ people: 3010, converters: 355, conversions: 700, revenue: 35000 }, holdout, noise).rateDifference.ci95;
 * ```
 */
export function noisyLiftStatistics(exposed: NoisyLiftArm, holdout: NoisyLiftArm, noise: LiftNoise): LiftStatistics {
  const e = clean(exposed);
  const h = clean(holdout);
  const p1 = e.converters / e.people;
  const p2 = h.converters / h.people;
  const v1 = rateVariance(e, noise);
  const v2 = rateVariance(h, noise);
  const d = p1 - p2;
  const dHalf = Z95 * Math.sqrt(v1 + v2);
  const rateDifference: Estimate = { value: d, ci95: [d - dHalf, d + dHalf] };
  const fix = e.converters === 0 || h.converters === 0 ? 0.5 : 0;
  const q1 = (e.converters + fix) / e.people;
  const q2 = (h.converters + fix) / h.people;
  const logHalf = Z95 * Math.sqrt(rateVariance({ ...e, converters: e.converters + fix }, noise) / q1 ** 2 + rateVariance({ ...h, converters: h.converters + fix }, noise) / q2 ** 2);
  const ratio = q1 / q2;
  const m1 = e.revenue / e.people;
  const m2 = h.revenue / h.people;
  const revenueHalf = Z95 * Math.sqrt(meanVariance(e, noise) + meanVariance(h, noise));
  return {
    exposedRate: p1,
    holdoutRate: p2,
    rateDifference,
    relativeLift: { value: ratio - 1, ci95: [ratio * Math.exp(-logHalf) - 1, ratio * Math.exp(logHalf) - 1] },
    incrementalConverters: { value: e.converters - p2 * e.people, ci95: [rateDifference.ci95[0] * e.people, rateDifference.ci95[1] * e.people] },
    exposedRevenuePerPerson: m1,
    holdoutRevenuePerPerson: m2,
    incrementalRevenue: { value: (m1 - m2) * e.people, ci95: [(m1 - m2 - revenueHalf) * e.people, (m1 - m2 + revenueHalf) * e.people] },
    pValue: pooledPValue(e, h, v1, v2),
  };
}

/**
 * The lift groups of a noisy lift table: its exposed and holdout rows paired per group (a
 * group missing an arm is left out), each with {@link noisyLiftStatistics}. The noise comes
 * from the table's own notes.
 *
 * @example
 * ```ts
 * const groups = noisyLiftGroups(table, { dimensions: [], revenuePerPersonWidth: 20 * 500 });
 * ```
 */
export function noisyLiftGroups(table: GuardedTable, options: { dimensions: readonly string[]; revenuePerPersonWidth: number }): LiftGroup[] {
  const { dimensions, revenuePerPersonWidth } = options;
  const sd = (column: string): number => (table.noise?.[column]?.halfWidth ?? 0) / Z95;
  const noise: LiftNoise = { people: sd('people'), converters: sd('converters'), revenue: sd('revenue'), revenuePerPersonWidth };
  const arm = (r: Record<string, Cell>): NoisyLiftArm => ({ people: Number(r.people ?? 0), converters: Number(r.converters ?? 0), conversions: Number(r.conversions ?? 0), revenue: Number(r.revenue ?? 0) });
  const out: LiftGroup[] = [];
  for (const { group, exposed, holdout } of pairArms(table.rows, dimensions)) {
    const e = arm(exposed);
    const h = arm(holdout);
    out.push({ group, exposed: e, holdout: h, statistics: noisyLiftStatistics(e, h, noise) });
  }
  return out;
}

function clean(arm: NoisyLiftArm): NoisyLiftArm {
  const people = Math.max(1, arm.people);
  return { people, converters: Math.min(people, Math.max(0, arm.converters)), conversions: Math.max(0, arm.conversions), revenue: Math.max(0, arm.revenue) };
}

function rateVariance(arm: NoisyLiftArm, noise: LiftNoise): number {
  const p = Math.min(1, arm.converters / arm.people);
  return (p * (1 - p)) / arm.people + (noise.converters ** 2 + p * p * noise.people ** 2) / arm.people ** 2;
}

function meanVariance(arm: NoisyLiftArm, noise: LiftNoise): number {
  const mean = arm.revenue / arm.people;
  return noise.revenuePerPersonWidth ** 2 / (4 * arm.people) + (noise.revenue ** 2 + mean * mean * noise.people ** 2) / arm.people ** 2;
}

/** The pooled z-test's p-value, its variance plus the noise's part of v1 + v2. */
function pooledPValue(e: NoisyLiftArm, h: NoisyLiftArm, v1: number, v2: number): number {
  const pooled = (e.converters + h.converters) / (e.people + h.people);
  const noiseOnly = v1 + v2 - (rateSampling(e) + rateSampling(h));
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / e.people + 1 / h.people) + Math.max(0, noiseOnly));
  if (se === 0 || !Number.isFinite(se)) return 1;
  const z = Math.abs(e.converters / e.people - h.converters / h.people) / se;
  return Math.min(1, Math.max(0, 1 - errorFunction(z / Math.SQRT2)));
}

function rateSampling(arm: NoisyLiftArm): number {
  const p = Math.min(1, arm.converters / arm.people);
  return (p * (1 - p)) / arm.people;
}
