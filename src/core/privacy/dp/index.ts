/**
 * The public face of cleanroom's differential privacy: exact samplers (Canonne, Kamath &
 * Steinke 2020) over a secure random source, mechanisms calibrated from contribution bounds,
 * noisy counts and fixed-point sums with labelled 95% intervals, DP partition selection. The
 * budget (costs, the ledger charged before every release, run budgets, the budget view) is
 * ../budget/index.ts. See docs/differential-privacy.md.
 *
 * @example
 * ```ts
 * import { cryptoRandomSource, noisyCount } from './core/privacy/dp/index.js';
 * noisyCount(1234, { bounds: { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }, budget: { epsilon: 0.5 }, rng: cryptoRandomSource() });
 * ```
 */
export { add, ceil, compare, div, floor, formatRational, mul, rational, sub, toNumber, toRational } from './rational.js';
export type { Rational, RationalLike } from './rational.js';
// seededRandomSource is left out on purpose: it is predictable, for tests only (import its file there).
export { cryptoRandomSource } from './random-source.js';
export type { RandomSource } from './random-source.js';
export { sampleBernoulli, sampleUniformBigInt, sampleUniformInt } from './uniform.js';
export { sampleBernoulliExp } from './bernoulli-exp.js';
export { sampleDiscreteLaplace } from './discrete-laplace.js';
export { integerSqrt, sampleDiscreteGaussian } from './discrete-gaussian.js';
export { clampToRange, countSensitivity, sumSensitivity } from './contribution-bounds.js';
export type { ContributionBounds, Sensitivity, ValueRange } from './contribution-bounds.js';
export { gaussianSigma2For, laplaceScaleFor, sampleNoise } from './mechanism.js';
export type { Mechanism } from './mechanism.js';
export { fromFixedPoint, positiveResolution, stepsOf, toFixedPoint } from './fixed-point.js';
export { noiseInterval95 } from './noise-interval.js';
export type { NoiseInterval } from './noise-interval.js';
export { mechanismFor, noisyCount, noisySum, wholeCount } from './noisy-aggregate.js';
export type { NoiseBudget, NoisyValue } from './noisy-aggregate.js';
export { partitionThreshold, selectPartitions } from './partition-selection.js';
export type { PartitionSelectionOptions, SelectedPartition } from './partition-selection.js';
export { MAX_PUBLIC_GROUPS, releaseNoisyTable } from './release-table.js';
export type { NoisyTableSpec } from './release-table.js';
