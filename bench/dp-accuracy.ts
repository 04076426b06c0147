// The accuracy table of issue #5: how far a noisy count or sum lands from the truth, for the
// budgets a party may pick, drawn with the real exact samplers over cryptoRandomSource().
import { randomInt } from 'node:crypto';
import type { ContributionBounds, NoiseBudget, NoisyValue, RandomSource, ValueRange } from '../src/core/privacy/dp/index.js';
import { cryptoRandomSource, noisyCount, noisySum } from '../src/core/privacy/dp/index.js';

/**
 * One statistic of one group, as the room releases it.
 *
 * @example
 * ```ts
 * const c: AccuracyCase = { label: 'sum', statistic: 'sum', people: 100, bounds: { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }, sumBudget: { epsilon: 1 } };
 * ```
 */
export interface AccuracyCase {
  /** A label for the table's first columns, e.g. "count, Laplace ε=1". */
  label: string;
  statistic: 'count' | 'sum' | 'mean';
  /** Distinct people in the group (each contributes one value to a sum). */
  people: number;
  bounds: ContributionBounds;
  /** Spent on the count (for 'count' and 'mean'). */
  countBudget?: NoiseBudget;
  /** Spent on the sum (for 'sum' and 'mean'). */
  sumBudget?: NoiseBudget;
}

/**
 * Relative errors over the repetitions of one case.
 *
 * @example
 * ```ts
 * const row: AccuracyRow = measureAccuracy(c, 2000);
 * `${row.medianRelError} / ${row.p95RelError}`;
 * ```
 */
export interface AccuracyRow {
  case: AccuracyCase;
  repetitions: number;
  medianRelError: number;
  p95RelError: number;
  /** The released 95% half-width divided by the true value (median over repetitions). */
  halfWidthRel: number | null;
  /** Share of repetitions whose released 95% interval held the true value. */
  coverage: number | null;
}

/** Each contributed value is drawn uniformly in this range, at this resolution (cents). */
const SUM_RANGE: ValueRange = { min: 0, max: 500 };
const RESOLUTION = 0.01;
const MAX_STEPS = 50_000;

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** The exact sum in cents of `people` values drawn uniformly in [0, 500.00]. */
function trueSumSteps(people: number): bigint {
  let sum = 0;
  // Data values, not noise: node:crypto's randomInt is plenty; 10 000 values sum far below 2^53.
  for (let i = 0; i < people; i++) sum += randomInt(MAX_STEPS + 1);
  return BigInt(sum);
}

/**
 * Runs one case `repetitions` times with fresh data and fresh noise.
 *
 * @example
 * ```ts
 * measureAccuracy({ label: 'count', statistic: 'count', people: 1000, bounds: { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }, countBudget: { epsilon: 1 } }, 2000);
 * ```
 */
export function measureAccuracy(spec: AccuracyCase, repetitions: number, rng: RandomSource = cryptoRandomSource()): AccuracyRow {
  const errors: number[] = [];
  const halfWidths: number[] = [];
  let covered = 0;
  // Counts are of distinct people: one person adds at most 1 to each of k groups (m plays no part).
  const count = (): NoisyValue => noisyCount(spec.people, { bounds: { ...spec.bounds, maxRowsPerGroup: 1 }, budget: spec.countBudget!, rng });
  const sum = (steps: bigint): NoisyValue =>
    noisySum(steps, { bounds: spec.bounds, range: SUM_RANGE, resolution: RESOLUTION, budget: spec.sumBudget!, rng });
  // As the room releases them: negative noisy counts and sums (of values ≥ 0) clamped at 0.
  const released = (v: NoisyValue): number => Math.max(0, v.value);
  const record = (v: NoisyValue, truth: number): void => {
    errors.push(Math.abs(released(v) - truth) / truth);
    halfWidths.push(v.interval.halfWidth / truth);
    if (v.interval.low <= truth + 1e-9 && truth - 1e-9 <= v.interval.high) covered++;
  };
  for (let r = 0; r < repetitions; r++) {
    if (spec.statistic === 'count') {
      record(count(), spec.people);
      continue;
    }
    const steps = trueSumSteps(spec.people);
    const truth = Number(steps) * RESOLUTION;
    if (spec.statistic === 'sum') {
      record(sum(steps), truth);
      continue;
    }
    // The mean per person is post-processing of the two noisy releases (no extra cost), kept in
    // the range a mean per person can take, [0, m·500]; with no noisy people there is none (100% off).
    const s = released(sum(steps));
    const c = released(count());
    const trueMean = truth / spec.people;
    const mean = c > 0 ? Math.min(spec.bounds.maxRowsPerGroup * Number(SUM_RANGE.max), s / c) : 0;
    errors.push(Math.abs(mean - trueMean) / trueMean);
  }
  errors.sort((a, b) => a - b);
  halfWidths.sort((a, b) => a - b);
  return {
    case: spec,
    repetitions,
    medianRelError: quantile(errors, 0.5),
    p95RelError: quantile(errors, 0.95),
    halfWidthRel: halfWidths.length === 0 ? null : quantile(halfWidths, 0.5),
    coverage: spec.statistic === 'mean' ? null : covered / repetitions,
  };
}

/**
 * The ρ whose zCDP-to-(ε, δ) conversion (the ledger's: ε = ρ + 2√(ρ·ln(1/δ))) spends the same
 * ε as a Laplace release of `epsilon`: ρ = (√(L + ε) − √L)² with L = ln(1/δ), rounded down to
 * four significant digits so it stays a short exact rational.
 *
 * @example
 * ```ts
 * rhoSpendingEpsilon(1, 1e-5); // 0.02081
 * ```
 */
export function rhoSpendingEpsilon(epsilon: number, delta: number): number {
  const l = Math.log(1 / delta);
  const rho = (Math.sqrt(l + epsilon) - Math.sqrt(l)) ** 2;
  const digits = 10 ** (3 - Math.floor(Math.log10(rho)));
  return Math.floor(rho * digits) / digits;
}
