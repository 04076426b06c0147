import { CleanRoomError } from '../../errors.js';
import { sampleBernoulliExp } from './bernoulli-exp.js';
import { sampleDiscreteLaplace } from './discrete-laplace.js';
import type { RandomSource } from './random-source.js';
import { floor, rational, type Rational } from './rational.js';

/**
 * ⌊√n⌋ for a BigInt n ≥ 0 (Newton's method on integers).
 *
 * @example
 * ```ts
 * integerSqrt(17n); // 4n
 * ```
 */
export function integerSqrt(n: bigint): bigint {
  if (n < 2n) return n;
  // Start above √n (2^⌈bits/2⌉) so Newton's iteration decreases monotonically; no floating point.
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) / 2n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/**
 * One exact sample of the discrete Gaussian on ℤ with variance parameter `σ² > 0`:
 * P[X = x] ∝ e^(−x²/(2σ²)). Adding it to an integer query of L2 sensitivity Δ gives
 * (Δ²/(2σ²))-zCDP, as the continuous Gaussian does (shown in the paper; see {@link gaussianSigma2For}).
 *
 * Algorithm 3 of Canonne, Kamath & Steinke (2020): with t = ⌊σ⌋ + 1, draw Y from the
 * discrete Laplace of scale t (Algorithm 2) and accept it with probability
 * exp(−(|Y| − σ²/t)² / (2σ²)) (Algorithm 1). For σ² = a/b that exponent is the rational
 * (|Y|·b·t − a)² / (2·a·b·t²), so everything stays in integers. ⌊σ⌋ = ⌊√⌊σ²⌋⌋ exactly.
 *
 * @example
 * ```ts
 * sampleDiscreteGaussian({ num: 25n, den: 1n }, cryptoRandomSource()); // σ = 5, e.g. 3n
 * ```
 */
export function sampleDiscreteGaussian(sigma2: Rational, rng: RandomSource): bigint {
  if (sigma2.num <= 0n) {
    throw new CleanRoomError('invalid_argument', `Cannot sample a discrete Gaussian as σ²=${sigma2.num}/${sigma2.den}: σ² must be > 0`);
  }
  const { num: a, den: b } = sigma2;
  const t = integerSqrt(floor(sigma2)) + 1n;
  const laplaceScale = rational(t);
  const gammaDen = 2n * a * b * t * t;
  for (;;) {
    const y = sampleDiscreteLaplace(laplaceScale, rng);
    const distance = (y < 0n ? -y : y) * b * t - a;
    if (sampleBernoulliExp({ num: distance * distance, den: gammaDen }, rng)) return y;
  }
}
