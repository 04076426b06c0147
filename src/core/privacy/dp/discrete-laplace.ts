import { CleanRoomError } from '../../errors.js';
import { sampleBernoulliExp } from './bernoulli-exp.js';
import type { RandomSource } from './random-source.js';
import { rational, type Rational } from './rational.js';
import { sampleUniformBigInt } from './uniform.js';

const ONE = rational(1n);

/**
 * One exact sample of the discrete Laplace distribution on ℤ with scale `t > 0`:
 * P[X = x] = (e^(1/t) − 1)/(e^(1/t) + 1) · e^(−|x|/t). Adding it to an integer query of
 * L1 sensitivity Δ gives ε-DP with t = Δ/ε (see {@link laplaceScaleFor}).
 *
 * Algorithm 2 of Canonne, Kamath & Steinke (2020), for scale t = num/den: draw U uniform
 * in [0, num) and keep it with probability exp(−U/num) (Algorithm 1); draw V geometric,
 * counting Bernoulli(exp(−1)) successes; X = U + num·V is geometric with parameter
 * 1 − e^(−1/num), so Y = ⌊X/den⌋ is geometric with parameter 1 − e^(−den/num); attach a fair
 * sign, rejecting "−0" so that 0 is not counted twice.
 *
 * @example
 * ```ts
 * sampleDiscreteLaplace({ num: 10n, den: 1n }, cryptoRandomSource()); // e.g. -7n
 * ```
 */
export function sampleDiscreteLaplace(scale: Rational, rng: RandomSource): bigint {
  if (scale.num <= 0n) {
    throw new CleanRoomError('invalid_argument', `Cannot sample a discrete Laplace as scale=${scale.num}/${scale.den}: the scale must be > 0`);
  }
  const { num: t, den: s } = scale;
  for (;;) {
    const u = sampleUniformBigInt(t, rng);
    if (!sampleBernoulliExp({ num: u, den: t }, rng)) continue;
    let v = 0n;
    while (sampleBernoulliExp(ONE, rng)) v++;
    const y = (u + t * v) / s;
    const negative = (rng.nextUint32() & 1) === 1;
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}
