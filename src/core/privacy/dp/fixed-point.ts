import { CleanRoomError } from '../../errors.js';
import { div, rational, toRational, type Rational, type RationalLike } from './rational.js';

/**
 * A value in fixed point: the integer number of `resolution` steps nearest to it (ties away
 * from zero), computed exactly (0.29 at resolution 0.01 is 29, not 28.999…).
 *
 * @example
 * ```ts
 * toFixedPoint(12.345, 0.01); // 1235n
 * ```
 */
export function toFixedPoint(value: RationalLike, resolution: RationalLike): bigint {
  const steps = div(toRational(value), positiveResolution(resolution));
  const twice = (2n * (steps.num < 0n ? -steps.num : steps.num) + steps.den) / (2n * steps.den);
  return steps.num < 0n ? -twice : twice;
}

/**
 * Checks a resolution is > 0 and returns it as a rational.
 *
 * @example
 * ```ts
 * positiveResolution('0.01'); // 1/100
 * ```
 */
export function positiveResolution(resolution: RationalLike): Rational {
  const r = toRational(resolution);
  if (r.num <= 0n) throw new CleanRoomError('invalid_argument', `Cannot use fixed point as resolution=${String(resolution)}: it must be > 0`);
  return r;
}

/**
 * Checks a bound is a whole number of resolution steps, so clamping then rounding stays
 * inside the declared range and the sensitivity in steps is exact.
 *
 * @example
 * ```ts
 * stepsOf(500, 0.01, 'max'); // 50000n
 * ```
 */
export function stepsOf(value: RationalLike, resolution: RationalLike, name: string): bigint {
  const steps = div(toRational(value), positiveResolution(resolution));
  if (steps.den !== 1n) {
    throw new CleanRoomError('invalid_argument', `Cannot use ${name}=${String(value)} at resolution ${String(resolution)}: it is not a whole number of steps`);
  }
  return steps.num;
}

/**
 * The value that a number of resolution steps stands for, as a double.
 *
 * @example
 * ```ts
 * fromFixedPoint(1235n, 0.01); // 12.35
 * ```
 */
export function fromFixedPoint(steps: bigint, resolution: RationalLike): number {
  const r = positiveResolution(resolution);
  const exact = rational(steps * r.num, r.den);
  return Number(exact.num) / Number(exact.den);
}
