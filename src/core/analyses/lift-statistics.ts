import { errorFunction } from 'simple-statistics';

/** One arm of a lift study: its people and what they did. */
export interface LiftArm {
  /** Distinct people in the arm (exposed, or holdout). */
  people: number;
  /** People with at least one conversion. */
  converters: number;
  /** Conversions (events). */
  conversions: number;
  /** Sum of conversion values. */
  revenue: number;
  /** Sum over people of (that person's revenue)^2, for the revenue interval. */
  revenueSquares: number;
}

/** A point estimate with its 95% confidence interval. */
export interface Estimate {
  value: number;
  ci95: [number, number];
}

/** The lift of the exposed arm over the holdout. */
export interface LiftStatistics {
  exposedRate: number;
  holdoutRate: number;
  /** exposedRate - holdoutRate, CI by Newcombe's hybrid score method. */
  rateDifference: Estimate;
  /** exposedRate / holdoutRate - 1, CI by the Katz log method on the risk ratio. */
  relativeLift: Estimate;
  /** Converters the exposure added: exposed converters minus holdout rate x exposed people. */
  incrementalConverters: Estimate;
  /** Revenue per person in each arm. */
  exposedRevenuePerPerson: number;
  holdoutRevenuePerPerson: number;
  /** Revenue the exposure added, CI from Welch's interval on revenue per person. */
  incrementalRevenue: Estimate;
  /** Two-sided p-value of the pooled two-proportion z-test (H0: equal rates). */
  pValue: number;
}

/** The 0.975 quantile of the standard normal distribution (95% two-sided). */
export const Z95 = 1.959963984540054;

/**
 * Lift statistics from the sufficient statistics of an exposed and a holdout arm (the
 * same statistics fbpcs Private Lift releases: populations, converters, values and
 * sums of squares). Intervals are checked against R PropCIs / Fagerland et al. (2015)
 * reference values for 7/34 vs 1/34 in the tests.
 *
 * @example
 * ```ts
 * const s = liftStatistics(
 *   { people: 34, converters: 7, conversions: 7, revenue: 700, revenueSquares: 70000 },
 *   { people: 34, converters: 1, conversions: 1, revenue: 100, revenueSquares: 10000 },
 * );
 * s.relativeLift.value; // 6
 * ```
 */
export function liftStatistics(exposed: LiftArm, holdout: LiftArm): LiftStatistics {
  const p1 = rate(exposed.converters, exposed.people);
  const p2 = rate(holdout.converters, holdout.people);
  const diff = newcombeDifference(exposed.converters, exposed.people, holdout.converters, holdout.people);
  const ratio = katzRatio(exposed.converters, exposed.people, holdout.converters, holdout.people);
  const m1 = rate(exposed.revenue, exposed.people);
  const m2 = rate(holdout.revenue, holdout.people);
  const revenueHalf = Z95 * Math.sqrt(meanVariance(exposed) + meanVariance(holdout));
  return {
    exposedRate: p1,
    holdoutRate: p2,
    rateDifference: diff,
    relativeLift: { value: ratio.value - 1, ci95: [ratio.ci95[0] - 1, ratio.ci95[1] - 1] },
    incrementalConverters: {
      value: exposed.converters - p2 * exposed.people,
      ci95: [diff.ci95[0] * exposed.people, diff.ci95[1] * exposed.people],
    },
    exposedRevenuePerPerson: m1,
    holdoutRevenuePerPerson: m2,
    incrementalRevenue: {
      value: (m1 - m2) * exposed.people,
      ci95: [(m1 - m2 - revenueHalf) * exposed.people, (m1 - m2 + revenueHalf) * exposed.people],
    },
    pValue: pooledZTestPValue(exposed.converters, exposed.people, holdout.converters, holdout.people),
  };
}

/**
 * Wilson score interval for one proportion.
 *
 * @example
 * ```ts
 * wilsonInterval(7, 34); // [0.1035..., 0.3691...]
 * ```
 */
export function wilsonInterval(x: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const p = x / n;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/**
 * Newcombe's hybrid score interval for p1 - p2 (method 10 of Newcombe 1998), the method
 * Fagerland et al. recommend for general use; it stays inside [-1, 1] and behaves at
 * small counts, where the Wald interval does not.
 *
 * @example
 * ```ts
 * newcombeDifference(7, 34, 1, 34).ci95; // about [0.019, 0.34]
 * ```
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number): Estimate {
  const p1 = rate(x1, n1);
  const p2 = rate(x2, n2);
  const [l1, u1] = wilsonInterval(x1, n1);
  const [l2, u2] = wilsonInterval(x2, n2);
  const d = p1 - p2;
  return { value: d, ci95: [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)] };
}

/**
 * The Wald interval for p1 - p2 (no continuity correction), for reference.
 *
 * @example
 * ```ts
 * waldDifference(7, 34, 1, 34).ci95; // [0.02916942, 0.32377176]
 * ```
 */
export function waldDifference(x1: number, n1: number, x2: number, n2: number): Estimate {
  const p1 = rate(x1, n1);
  const p2 = rate(x2, n2);
  const half = Z95 * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return { value: p1 - p2, ci95: [p1 - p2 - half, p1 - p2 + half] };
}

/**
 * The Katz log interval for the risk ratio p1 / p2. With no converters on a side the
 * ratio is undefined; 0.5 is added to every cell then (the usual Haldane correction).
 *
 * @example
 * ```ts
 * katzRatio(7, 34, 1, 34).ci95; // about [0.91, 54]
 * ```
 */
export function katzRatio(x1: number, n1: number, x2: number, n2: number): Estimate {
  const fix = x1 === 0 || x2 === 0 ? 0.5 : 0;
  const a = x1 + fix;
  const b = x2 + fix;
  const m = n1 + 2 * fix;
  const k = n2 + 2 * fix;
  if (m === 0 || k === 0) return { value: Number.NaN, ci95: [Number.NaN, Number.NaN] };
  const ratio = a / m / (b / k);
  const se = Math.sqrt(1 / a - 1 / m + 1 / b - 1 / k);
  return { value: ratio, ci95: [ratio * Math.exp(-Z95 * se), ratio * Math.exp(Z95 * se)] };
}

/**
 * Two-sided p-value of the pooled two-proportion z-test.
 *
 * @example
 * ```ts
 * pooledZTestPValue(7, 34, 1, 34); // about 0.024
 * ```
 */
export function pooledZTestPValue(x1: number, n1: number, x2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return Number.NaN;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  const z = Math.abs(x1 / n1 - x2 / n2) / se;
  // simple-statistics' erf is accurate to about 1e-7; keep the result a probability.
  return Math.min(1, Math.max(0, 1 - errorFunction(z / Math.SQRT2)));
}

/** Variance of an arm's mean revenue per person (unbiased per-person variance / n). */
function meanVariance(arm: LiftArm): number {
  if (arm.people < 2) return 0;
  const mean = arm.revenue / arm.people;
  const variance = (arm.revenueSquares - arm.people * mean * mean) / (arm.people - 1);
  return Math.max(0, variance) / arm.people;
}

function rate(x: number, n: number): number {
  return n === 0 ? 0 : x / n;
}
