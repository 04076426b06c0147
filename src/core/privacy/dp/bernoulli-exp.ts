import { CleanRoomError } from '../../errors.js';
import type { RandomSource } from './random-source.js';
import { floor, rational, type Rational } from './rational.js';
import { sampleBernoulli } from './uniform.js';

const ONE = rational(1n);

/**
 * Bernoulli(exp(−γ)) for a rational `γ ≥ 0`, exactly, with integer arithmetic only —
 * Algorithm 1 of Canonne, Kamath & Steinke, "The Discrete Gaussian for Differential
 * Privacy" (NeurIPS 2020, arXiv:2004.00010):
 *
 * - for γ ∈ [0, 1]: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, … until one is 0; return 1 iff
 *   that k is odd. P[K = k] = γ^(k−1)/(k−1)! − γ^k/k!, whose sum over odd k is the series of
 *   exp(−γ);
 * - for γ > 1: exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)), so draw ⌊γ⌋ times Bernoulli(exp(−1)),
 *   returning 0 at the first 0, then Bernoulli(exp(−(γ − ⌊γ⌋))).
 *
 * @example
 * ```ts
 * sampleBernoulliExp({ num: 1n, den: 2n }, rng); // true with probability exactly e^(−1/2)
 * ```
 */
export function sampleBernoulliExp(gamma: Rational, rng: RandomSource): boolean {
  if (gamma.num < 0n) {
    throw new CleanRoomError('invalid_argument', `Cannot sample Bernoulli(exp(−γ)) as γ=${gamma.num}/${gamma.den}: γ must be ≥ 0`);
  }
  if (gamma.num <= gamma.den) return bernoulliExpAtMostOne(gamma, rng);
  const whole = floor(gamma);
  for (let k = 0n; k < whole; k++) {
    if (!bernoulliExpAtMostOne(ONE, rng)) return false;
  }
  return bernoulliExpAtMostOne({ num: gamma.num - whole * gamma.den, den: gamma.den }, rng);
}

function bernoulliExpAtMostOne(gamma: Rational, rng: RandomSource): boolean {
  let k = 1n;
  while (sampleBernoulli({ num: gamma.num, den: gamma.den * k }, rng)) k++;
  return k % 2n === 1n;
}
