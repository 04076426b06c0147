import { CleanRoomError } from '../../errors.js';
import type { Sensitivity } from './contribution-bounds.js';
import { sampleDiscreteGaussian } from './discrete-gaussian.js';
import { sampleDiscreteLaplace } from './discrete-laplace.js';
import type { RandomSource } from './random-source.js';
import { div, mul, rational, toRational, type Rational, type RationalLike } from './rational.js';

/**
 * A noise mechanism on integers, with its exact parameter.
 *
 * @example
 * ```ts
 * const m: Mechanism = { kind: 'discrete_laplace', scale: laplaceScaleFor(1, 0.5) }; // scale 2
 * ```
 */
export type Mechanism = { kind: 'discrete_laplace'; scale: Rational } | { kind: 'discrete_gaussian'; sigma2: Rational };

const positive = (name: string, value: RationalLike): Rational => {
  const r = toRational(value);
  if (r.num <= 0n) throw new CleanRoomError('invalid_argument', `Cannot calibrate noise as ${name}=${String(value)}: it must be > 0`);
  return r;
};

const squaredSensitivity = (sensitivity: Sensitivity | RationalLike): Rational => {
  if (isSensitivity(sensitivity)) return positive('sensitivity', sensitivity.l2Squared);
  const d = positive('sensitivity', sensitivity);
  return mul(d, d);
};

const isSensitivity = (s: Sensitivity | RationalLike): s is Sensitivity => typeof s === 'object' && 'l1' in s;

/**
 * The discrete Laplace scale t = Δ₁/ε that makes an integer query of L1 sensitivity Δ₁
 * ε-differentially private (pure DP). Takes a {@link Sensitivity} (its `l1`) or a plain Δ.
 *
 * @example
 * ```ts
 * laplaceScaleFor(countSensitivity({ maxGroupsPerPerson: 2, maxRowsPerGroup: 1 }), 0.5); // 4/1
 * ```
 */
export function laplaceScaleFor(sensitivity: Sensitivity | RationalLike, epsilon: RationalLike): Rational {
  const l1 = isSensitivity(sensitivity) ? positive('sensitivity', sensitivity.l1) : positive('sensitivity', sensitivity);
  return div(l1, positive('epsilon', epsilon));
}

/**
 * The discrete Gaussian variance σ² = Δ₂²/(2ρ) that makes an integer query of L2 sensitivity
 * Δ₂ ρ-zCDP (Canonne, Kamath & Steinke 2020, their concentrated-DP theorem for the discrete
 * Gaussian, multivariate included). Takes a {@link Sensitivity} (its
 * `l2Squared`) or a plain Δ.
 *
 * @example
 * ```ts
 * gaussianSigma2For(1, 0.125); // σ² = 4
 * ```
 */
export function gaussianSigma2For(sensitivity: Sensitivity | RationalLike, rho: RationalLike): Rational {
  return div(squaredSensitivity(sensitivity), mul(rational(2n), positive('rho', rho)));
}

/**
 * One exact noise sample from a mechanism.
 *
 * @example
 * ```ts
 * sampleNoise({ kind: 'discrete_gaussian', sigma2: rational(4n) }, cryptoRandomSource()); // e.g. -1n
 * ```
 */
export function sampleNoise(mechanism: Mechanism, rng: RandomSource): bigint {
  return mechanism.kind === 'discrete_laplace'
    ? sampleDiscreteLaplace(mechanism.scale, rng)
    : sampleDiscreteGaussian(mechanism.sigma2, rng);
}
