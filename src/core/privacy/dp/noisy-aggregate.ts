import { CleanRoomError } from '../../errors.js';
import { countSensitivity, sumSensitivity, type ContributionBounds, type Sensitivity, type ValueRange } from './contribution-bounds.js';
import { fromFixedPoint, positiveResolution, stepsOf } from './fixed-point.js';
import { gaussianSigma2For, laplaceScaleFor, sampleNoise, type Mechanism } from './mechanism.js';
import { noiseInterval95, type NoiseInterval } from './noise-interval.js';
import type { RandomSource } from './random-source.js';
import { formatRational, rational, type RationalLike } from './rational.js';

/**
 * The privacy spent on one release: `epsilon` (discrete Laplace, pure ε-DP) or `rho`
 * (discrete Gaussian, ρ-zCDP), for all the groups of the release together.
 *
 * @example
 * ```ts
 * const spend: NoiseBudget = { epsilon: 0.5 };
 * ```
 */
export type NoiseBudget = { epsilon: RationalLike } | { rho: RationalLike };

/**
 * A released noisy value with its 95% interval, both in the value's own units.
 *
 * @example
 * ```ts
 * const v: NoisyValue = noisyCount(1234, { bounds, budget: { epsilon: 1 }, rng });
 * `${v.value} ± ${v.interval.halfWidth}`;
 * ```
 */
export interface NoisyValue {
  value: number;
  interval: { low: number; high: number; halfWidth: number } & Omit<NoiseInterval, 'halfWidth'>;
  mechanism: { kind: Mechanism['kind']; parameter: string };
}

/**
 * The mechanism that spends `budget` on a query of the given sensitivity.
 *
 * @example
 * ```ts
 * mechanismFor(countSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }), { rho: 0.5 }); // σ² = 1
 * ```
 */
export function mechanismFor(sensitivity: Sensitivity, budget: NoiseBudget): Mechanism {
  return 'epsilon' in budget
    ? { kind: 'discrete_laplace', scale: laplaceScaleFor(sensitivity, budget.epsilon) }
    : { kind: 'discrete_gaussian', sigma2: gaussianSigma2For(sensitivity, budget.rho) };
}

/**
 * A noisy count of one group, for counts that respect `bounds` (rows per group per person,
 * groups per person). The value may be negative: post-processing such as clamping at 0
 * is the caller's choice and costs no budget.
 *
 * @example
 * ```ts
 * noisyCount(1234, { bounds: { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }, budget: { epsilon: 1 }, rng });
 * ```
 */
export function noisyCount(trueCount: number | bigint, options: { bounds: ContributionBounds; budget: NoiseBudget; rng: RandomSource }): NoisyValue {
  const { bounds, budget, rng } = options;
  const count = wholeCount('trueCount', trueCount);
  const mechanism = mechanismFor(countSensitivity(bounds), budget);
  return release(count, mechanism, 1, rng);
}

/**
 * A noisy sum of one group in fixed point: `trueSumSteps` is the exact sum of the values
 * clamped to `range` and rounded to `resolution` steps ({@link toFixedPoint}); the bounds of
 * `range` must be whole steps. Noise is drawn in steps, so it is exact, then scaled back.
 *
 * @example
 * ```ts
 * noisySum(123456n, { bounds, range: { min: 0, max: 500 }, resolution: 0.01, budget: { epsilon: 1 }, rng });
 * ```
 */
export function noisySum(
  trueSumSteps: bigint,
  options: { bounds: ContributionBounds; range: ValueRange; resolution: RationalLike; budget: NoiseBudget; rng: RandomSource; personTotal?: ValueRange },
): NoisyValue {
  const { bounds, range, resolution, budget, rng, personTotal } = options;
  const sensitivity = sumStepsSensitivity(bounds, { range, resolution, ...(personTotal === undefined ? {} : { personTotal }) });
  return release(trueSumSteps, mechanismFor(sensitivity, budget), resolution, rng);
}

/**
 * The sensitivity, in resolution steps, of a sum whose values are clamped to `range` with at
 * most m rows of one person per group and k groups: one person moves a group's sum by at most
 * m·B steps (B the range's larger bound), or by the larger bound of `personTotal` when each
 * person's total in a group is also clamped to it — whichever is smaller — and k groups.
 *
 * @example
 * ```ts
 * sumStepsSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 20 }, { range: { min: 0, max: 500 }, resolution: 1, personTotal: { min: 0, max: 2000 } }).l1; // 2000 (not 10 000)
 * ```
 */
export function sumStepsSensitivity(bounds: ContributionBounds, sum: { range: ValueRange; resolution: RationalLike; personTotal?: ValueRange }): Sensitivity {
  const { range, resolution, personTotal } = sum;
  positiveResolution(resolution);
  const inSteps = (r: ValueRange, what: string): ValueRange => ({ min: rational(stepsOf(r.min, resolution, `${what} min`)), max: rational(stepsOf(r.max, resolution, `${what} max`)) });
  return sumSensitivity(bounds, inSteps(range, 'range'), personTotal === undefined ? {} : { personTotal: inSteps(personTotal, 'personTotal') });
}

function release(trueSteps: bigint, mechanism: Mechanism, resolution: RationalLike, rng: RandomSource): NoisyValue {
  const noisy = trueSteps + sampleNoise(mechanism, rng);
  const { halfWidth, ...interval } = noiseInterval95(mechanism);
  return {
    value: fromFixedPoint(noisy, resolution),
    interval: {
      ...interval,
      low: fromFixedPoint(noisy - halfWidth, resolution),
      high: fromFixedPoint(noisy + halfWidth, resolution),
      halfWidth: fromFixedPoint(halfWidth, resolution),
    },
    mechanism: {
      kind: mechanism.kind,
      parameter: mechanism.kind === 'discrete_laplace' ? `scale=${formatRational(mechanism.scale, 6)}` : `σ²=${formatRational(mechanism.sigma2, 6)}`,
    },
  };
}

/**
 * A true count as a BigInt, refusing what is not a whole number ≥ 0.
 *
 * @example
 * ```ts
 * wholeCount('people', 12); // 12n
 * ```
 */
export function wholeCount(name: string, value: number | bigint): bigint {
  if (typeof value === 'bigint' ? value < 0n : !(Number.isSafeInteger(value) && value >= 0)) {
    throw new CleanRoomError('invalid_argument', `Cannot add noise to ${name}=${String(value)}: it must be a whole number ≥ 0`);
  }
  return BigInt(value);
}
