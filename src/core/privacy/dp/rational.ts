import { CleanRoomError } from '../../errors.js';

/**
 * An exact rational number `num / den` over BigInt, always reduced with `den > 0`.
 *
 * @example
 * ```ts
 * const tenth: Rational = { num: 1n, den: 10n };
 * ```
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/**
 * What parameters may be given as: a `Rational`, an integer `bigint`, a finite `number` (read
 * through its shortest decimal) or a string (a decimal such as `'1e-6'`, or `'num/den'`).
 *
 * @example
 * ```ts
 * const epsilons: RationalLike[] = [0.5, '1/3', 2n, { num: 1n, den: 10n }];
 * ```
 */
export type RationalLike = Rational | bigint | number | string;

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

/**
 * Builds the reduced rational `num / den`.
 *
 * @example
 * ```ts
 * rational(2n, 4n); // { num: 1n, den: 2n }
 * ```
 */
export function rational(num: bigint, den = 1n): Rational {
  if (den === 0n) throw new CleanRoomError('invalid_argument', 'Cannot build a rational as num/0: the denominator is 0');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return Object.freeze({ num: (sign * num) / g, den: (sign * den) / g });
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * Converts a parameter to an exact rational. A `number` is read through its shortest decimal
 * form, so `0.1` is exactly `1/10` (not the binary double nearest to it).
 *
 * @example
 * ```ts
 * toRational(0.1); // { num: 1n, den: 10n }
 * toRational('1e-6'); // { num: 1n, den: 1000000n }
 * ```
 */
export function toRational(value: RationalLike): Rational {
  if (typeof value === 'bigint') return rational(value);
  if (typeof value === 'object') return rational(value.num, value.den);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new CleanRoomError('invalid_argument', `Cannot use ${value} as a rational: it is not finite`);
  }
  const text = String(value).trim();
  const fraction = /^([+-]?\d+)\/(\d+)$/.exec(text);
  if (fraction) return rational(BigInt(fraction[1]!), BigInt(fraction[2]!));
  const m = DECIMAL.exec(text);
  if (!m) throw new CleanRoomError('invalid_argument', `Cannot read "${text}" as a rational: expected a decimal or n/d`);
  const digits = m[3] ?? '';
  const exponent = Number(m[4] ?? 0) - digits.length;
  let num = BigInt(m[2]! + digits) * (m[1] === '-' ? -1n : 1n);
  let den = 1n;
  if (exponent >= 0) num *= 10n ** BigInt(exponent);
  else den = 10n ** BigInt(-exponent);
  return rational(num, den);
}

/**
 * `a + b`, exactly.
 *
 * @example
 * ```ts
 * add(toRational(0.1), toRational(0.2)); // 3/10
 * ```
 */
export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

/**
 * `a - b`, exactly.
 *
 * @example
 * ```ts
 * sub(rational(1n), rational(1n, 3n)); // 2/3
 * ```
 */
export function sub(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

/**
 * `a × b`, exactly.
 *
 * @example
 * ```ts
 * mul(rational(2n, 3n), rational(3n, 4n)); // 1/2
 * ```
 */
export function mul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/**
 * `a ÷ b`, exactly (b must not be 0).
 *
 * @example
 * ```ts
 * div(rational(1n), rational(4n)); // 1/4
 * ```
 */
export function div(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den, a.den * b.num);
}

/**
 * The sign of `a - b`: -1, 0 or 1.
 *
 * @example
 * ```ts
 * compare(toRational(0.3), add(toRational(0.1), toRational(0.2))); // 0
 * ```
 */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * The largest integer ≤ r.
 *
 * @example
 * ```ts
 * floor(rational(-3n, 2n)); // -2n
 * ```
 */
export function floor(r: Rational): bigint {
  const q = r.num / r.den;
  return r.num < 0n && q * r.den !== r.num ? q - 1n : q;
}

/**
 * The smallest integer ≥ r.
 *
 * @example
 * ```ts
 * ceil(rational(3n, 2n)); // 2n
 * ```
 */
export function ceil(r: Rational): bigint {
  return -floor(rational(-r.num, r.den));
}

/**
 * The nearest double (for reporting and for parameter derivations outside the samplers).
 *
 * @example
 * ```ts
 * toNumber(rational(1n, 3n)); // 0.3333333333333333
 * ```
 */
export function toNumber(r: Rational): number {
  const whole = r.num / r.den;
  const rest = r.num - whole * r.den;
  return Number(whole) + Number((rest * 10n ** 17n) / r.den) / 1e17;
}

/**
 * A short decimal for messages: `r` with up to `digits` significant digits.
 *
 * @example
 * ```ts
 * formatRational(rational(1n, 3n)); // '0.3333'
 * ```
 */
export function formatRational(r: Rational, digits = 4): string {
  return String(Number(toNumber(r).toPrecision(digits)));
}
