import { CleanRoomError } from '../../errors.js';
import { compare, mul, rational, toNumber, toRational, type Rational, type RationalLike } from './rational.js';

/**
 * How much one person may contribute, enforced before aggregation: at most
 * `maxGroupsPerPerson` groups (k) and at most `maxRowsPerGroup` rows in each group (m).
 *
 * @example
 * ```ts
 * const bounds: ContributionBounds = { maxGroupsPerPerson: 3, maxRowsPerGroup: 5 };
 * ```
 */
export interface ContributionBounds {
  maxGroupsPerPerson: number;
  maxRowsPerGroup: number;
}

/**
 * The declared range each contributed value is clamped to.
 *
 * @example
 * ```ts
 * const revenue: ValueRange = { min: 0, max: 500 };
 * ```
 */
export interface ValueRange {
  min: RationalLike;
  max: RationalLike;
}

/**
 * How far adding or removing one person can move a query's output, by norm: `l1` (for the
 * discrete Laplace), `l2Squared` (for the discrete Gaussian; a square, so it stays rational)
 * and `perGroup` (the largest change of any one group's value).
 *
 * @example
 * ```ts
 * const s: Sensitivity = countSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }); // all 1
 * ```
 */
export interface Sensitivity {
  l1: Rational;
  l2Squared: Rational;
  perGroup: Rational;
}

const positiveInteger = (name: string, value: number): bigint => {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CleanRoomError('invalid_argument', `Cannot bound contributions as ${name}=${value}: it must be an integer ≥ 1`, {
      details: { [name]: value },
    });
  }
  return BigInt(value);
};

const checkRange = (range: ValueRange): { min: Rational; max: Rational } => {
  const min = toRational(range.min);
  const max = toRational(range.max);
  if (compare(min, max) > 0) {
    throw new CleanRoomError('invalid_argument', `Cannot use the value range [${range.min}, ${range.max}]: min is above max`);
  }
  return { min, max };
};

/**
 * Clamps a value to its declared range, so no person can move a sum by more than the bound.
 *
 * @example
 * ```ts
 * clampToRange(1200, { min: 0, max: 500 }); // 500
 * ```
 */
export function clampToRange(value: number, range: ValueRange): number {
  const { min, max } = checkRange(range);
  if (Number.isNaN(value)) throw new CleanRoomError('invalid_argument', 'Cannot clamp NaN to a range: the value is not a number');
  const v = toRational(value);
  if (compare(v, min) < 0) return toNumber(min);
  if (compare(v, max) > 0) return toNumber(max);
  return value;
}

/**
 * The sensitivity of per-group counts of rows under the bounds (with `maxRowsPerGroup: 1`,
 * of counts of distinct people): one person changes at most k groups by at most m each.
 *
 * @example
 * ```ts
 * countSensitivity({ maxGroupsPerPerson: 4, maxRowsPerGroup: 2 }); // l1 = 8, l2² = 16, perGroup = 2
 * ```
 */
export function countSensitivity(bounds: ContributionBounds): Sensitivity {
  return scaled(bounds, rational(1n));
}

/**
 * The sensitivity of per-group sums of values clamped to `range`: each row moves a sum by at
 * most B = max(|min|, |max|), so one person moves k groups by at most m·B each — or by at
 * most T = max(|min|, |max|) of `personTotal` when each person's total in a group is also
 * clamped to it, whichever is smaller.
 *
 * @example
 * ```ts
 * sumSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 3 }, { min: 0, max: 500 }); // l1 = 1500
 * sumSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 3 }, { min: 0, max: 500 }, { personTotal: { min: 0, max: 800 } }); // l1 = 800
 * ```
 */
export function sumSensitivity(bounds: ContributionBounds, range: ValueRange, options: { personTotal?: ValueRange } = {}): Sensitivity {
  const cap = options.personTotal === undefined ? undefined : largerBound(options.personTotal);
  return scaled(bounds, largerBound(range), cap);
}

/** max(|min|, |max|) of a checked range. */
function largerBound(range: ValueRange): Rational {
  const { min, max } = checkRange(range);
  const abs = (r: Rational): Rational => rational(r.num < 0n ? -r.num : r.num, r.den);
  return compare(abs(min), abs(max)) >= 0 ? abs(min) : abs(max);
}

function scaled(bounds: ContributionBounds, perRow: Rational, perGroupCap?: Rational): Sensitivity {
  const k = positiveInteger('maxGroupsPerPerson', bounds.maxGroupsPerPerson);
  const m = positiveInteger('maxRowsPerGroup', bounds.maxRowsPerGroup);
  const rows = mul(rational(m), perRow);
  const perGroup = perGroupCap !== undefined && compare(perGroupCap, rows) < 0 ? perGroupCap : rows;
  return Object.freeze({
    l1: mul(rational(k), perGroup),
    l2Squared: mul(rational(k), mul(perGroup, perGroup)),
    perGroup,
  });
}
