import { CleanRoomError } from '../../errors.js';
import { add, compare, formatRational, rational, sub, toNumber, toRational, type Rational, type RationalLike } from '../dp/rational.js';

/**
 * What one release spends: `epsilon` and `delta` compose by basic composition (Laplace runs:
 * ε only; partition selection: ε and δ), `rho` is zCDP (discrete Gaussian runs) and composes
 * by addition. Omitted parts are 0; at least one part must be > 0.
 *
 * @example
 * ```ts
 * const laplaceRun: PrivacyCost = { epsilon: 0.1 };
 * const gaussianRun: PrivacyCost = { rho: 0.02 };
 * ```
 */
export interface PrivacyCost {
  epsilon?: RationalLike;
  delta?: RationalLike;
  rho?: RationalLike;
}

/**
 * A total (ε, δ) budget. δ defaults to 0, which allows only pure-DP (Laplace) runs: a
 * Gaussian run needs some δ for its conversion from zCDP.
 *
 * @example
 * ```ts
 * const budget: PrivacyBudget = { epsilon: 1, delta: 1e-6 };
 * ```
 */
export interface PrivacyBudget {
  epsilon: RationalLike;
  delta?: RationalLike;
}

/**
 * Exact sums of what was spent, by part.
 *
 * @example
 * ```ts
 * const none: Spent = ZERO_SPENT;
 * ```
 */
export interface Spent {
  epsilon: Rational;
  delta: Rational;
  rho: Rational;
}

/**
 * Nothing spent.
 *
 * @example
 * ```ts
 * checkBudget(ZERO_SPENT, { epsilon: 1 }).remaining.epsilon; // 1
 * ```
 */
export const ZERO_SPENT: Spent = Object.freeze({ epsilon: rational(0n), delta: rational(0n), rho: rational(0n) });

/**
 * What remains of a budget, for display and previews: ε left after converting the zCDP
 * spent, δ left, and the largest ρ one more Gaussian run could still spend.
 *
 * @example
 * ```ts
 * const left: Remaining = { epsilon: 0.4, delta: 1e-6, rho: 0.017 };
 * ```
 */
export interface Remaining {
  epsilon: number;
  delta: number;
  rho: number;
}

/**
 * A cost as exact rationals, refusing negative parts and a cost of nothing.
 *
 * @example
 * ```ts
 * exactCost({ epsilon: 0.1 }); // { epsilon: 1/10, delta: 0, rho: 0 }
 * ```
 */
export function exactCost(cost: PrivacyCost): Spent {
  const part = (name: keyof PrivacyCost): Rational => {
    const value = cost[name];
    const r = value === undefined ? rational(0n) : toRational(value);
    if (r.num < 0n) throw new CleanRoomError('invalid_argument', `Cannot charge a privacy cost as ${name}=${String(value)}: it must be ≥ 0`);
    return r;
  };
  const exact = { epsilon: part('epsilon'), delta: part('delta'), rho: part('rho') };
  if (exact.epsilon.num === 0n && exact.rho.num === 0n) {
    throw new CleanRoomError('invalid_argument', 'Cannot charge a privacy cost of nothing: give epsilon or rho > 0', { details: { cost } });
  }
  return exact;
}

/**
 * The sum of two spendings, exactly.
 *
 * @example
 * ```ts
 * addSpent(exactCost({ epsilon: 0.1 }), exactCost({ rho: 0.5 })); // ε 1/10, ρ 1/2
 * ```
 */
export function addSpent(a: Spent, b: Spent): Spent {
  return { epsilon: add(a.epsilon, b.epsilon), delta: add(a.delta, b.delta), rho: add(a.rho, b.rho) };
}

/**
 * The ε of the (ε, δ)-DP guarantee implied by ρ-zCDP: ε = ρ + 2·√(ρ·ln(1/δ)) (Bun & Steinke,
 * "Concentrated Differential Privacy", TCC 2016, Proposition 1.3). Rounded up a hair so
 * floating point can only overstate what was spent.
 *
 * @example
 * ```ts
 * zcdpToEpsilon(0.01, 1e-6); // ≈ 0.7533
 * ```
 */
export function zcdpToEpsilon(rho: number, delta: number): number {
  if (rho === 0) return 0;
  return (rho + 2 * Math.sqrt(rho * Math.log(1 / delta))) * (1 + 1e-12);
}

/**
 * Checks `spent` against `budget` and says what remains. Pure-DP and approximate-DP runs
 * compose by basic composition (ε and δ add up); the zCDP runs' total ρ is converted to
 * (ε_ρ, δ_ρ) with all the δ the other runs left, δ_ρ = δ − Σδ, and composed in the same way:
 * the release history is (Σε + ε_ρ, δ)-DP, allowed while Σε + ε_ρ ≤ ε.
 *
 * @example
 * ```ts
 * checkBudget(exactCost({ epsilon: 0.3 }), { epsilon: 1 }); // { within: true, remaining: { epsilon: 0.7, delta: 0, rho: 0 } }
 * ```
 */
export function checkBudget(spent: Spent, budget: PrivacyBudget): { within: boolean; remaining: Remaining } {
  const epsilon = toRational(budget.epsilon);
  const delta = toRational(budget.delta ?? 0);
  const deltaLeft = sub(delta, spent.delta);
  const deltaOk = compare(deltaLeft, rational(0n)) >= 0;
  const epsilonLeftExact = sub(epsilon, spent.epsilon);
  if (spent.rho.num === 0n) {
    const within = deltaOk && compare(epsilonLeftExact, rational(0n)) >= 0;
    return { within, remaining: remainingOf(toNumber(epsilonLeftExact), toNumber(deltaLeft)) };
  }
  if (deltaLeft.num <= 0n) return { within: false, remaining: remainingOf(toNumber(epsilonLeftExact), toNumber(deltaLeft)) };
  const epsilonLeft = toNumber(epsilonLeftExact) - zcdpToEpsilon(toNumber(spent.rho), toNumber(deltaLeft));
  return { within: epsilonLeft >= 0, remaining: remainingOf(epsilonLeft, toNumber(deltaLeft), toNumber(spent.rho)) };
}

function remainingOf(epsilonLeft: number, deltaLeft: number, rhoSpent = 0): Remaining {
  const epsilon = Math.max(0, epsilonLeft);
  const delta = Math.max(0, deltaLeft);
  if (delta === 0) return { epsilon, delta, rho: 0 };
  // Largest total ρ with ρ + 2√(ρL) ≤ E: √ρ = √(L + E) − √L, where E is the ε the pure runs left.
  const L = Math.log(1 / delta);
  const E = epsilon + zcdpToEpsilon(rhoSpent, delta);
  const rhoMax = (Math.sqrt(L + E) - Math.sqrt(L)) ** 2 * (1 - 1e-12);
  return { epsilon, delta, rho: Math.max(0, rhoMax - rhoSpent) };
}

/**
 * A cost in words for messages: `ε=0.1`, `ε=0.5, δ=1e-6`, `ρ=0.02 (zCDP)`.
 *
 * @example
 * ```ts
 * describeCost(exactCost({ epsilon: 0.1 })); // 'ε=0.1'
 * ```
 */
export function describeCost(cost: Spent): string {
  const parts: string[] = [];
  if (cost.epsilon.num > 0n) parts.push(`ε=${formatRational(cost.epsilon)}`);
  if (cost.delta.num > 0n) parts.push(`δ=${formatRational(cost.delta)}`);
  if (cost.rho.num > 0n) parts.push(`ρ=${formatRational(cost.rho)} (zCDP)`);
  return parts.join(', ');
}

/**
 * What remains in words for messages.
 *
 * @example
 * ```ts
 * describeRemaining({ epsilon: 0.05, delta: 0, rho: 0 }); // 'ε=0.05'
 * describeRemaining({ epsilon: 0.5, delta: 1e-6, rho: 0.01 }, { zcdp: false }); // 'ε=0.5, δ=0.000001' (no Gaussian runs)
 * ```
 */
export function describeRemaining(remaining: Remaining, options: { zcdp?: boolean } = {}): string {
  const { zcdp = true } = options;
  // Rounded down to 4 significant digits: a message must never promise more than remains.
  const round = (x: number): string => {
    if (x <= 0) return '0';
    const step = 10 ** (Math.floor(Math.log10(x)) - 3);
    return String(Number((Math.floor(x / step + 1e-9) * step).toPrecision(4)));
  };
  const parts = [`ε=${round(remaining.epsilon)}`];
  if (remaining.delta > 0) parts.push(`δ=${round(remaining.delta)}`);
  if (remaining.delta > 0 && zcdp) parts.push(`ρ=${round(remaining.rho)} (zCDP)`);
  return parts.join(', ');
}
