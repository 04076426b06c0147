import { CleanRoomError } from '../../../errors.js';
import { stepsOf } from '../../../privacy/dp/fixed-point.js';
import type { ValueRange } from '../../../privacy/dp/contribution-bounds.js';
import { toRational, type RationalLike } from '../../../privacy/dp/rational.js';

/**
 * A summed value: a column as the room stores it (`integer` as BIGINT, `decimal` as
 * DECIMAL(18, 6)) or `number`, any numeric expression (custom SQL's aggregate arguments, an
 * attribution credit); its declared range and the resolution of its fixed-point steps.
 *
 * @example
 * ```ts
 * const amount: SummedColumn = { type: 'decimal', range: { min: 0, max: 500 }, resolution: 0.01 };
 * ```
 */
export interface SummedColumn {
  type: 'integer' | 'decimal' | 'number';
  range: ValueRange;
  resolution: RationalLike;
}

/** Decimal places the room stores (see the engine's load plan): values are read exactly as micro-units. */
const MICRO = 1_000_000n;

/** The room's DECIMAL(18, 6) holds values below 10¹² with 6 places. */
const DECIMAL_LIMIT = 10n ** 12n;
/** Keeps BIGINT arithmetic far from overflow. */
const BIGINT_SAFE = 2n ** 61n;

/**
 * The SQL that turns one value into whole resolution steps, clamped to its range, exactly
 * (ties away from zero, like `toFixedPoint`). Rounding is monotone and the bounds are whole
 * steps, so clamping the value first and rounding it gives the same steps as rounding first.
 * A NULL value stays NULL (it adds nothing to a sum).
 * Constants are integers or decimals computed from the validated template, written as
 * literals (digits, a sign and a point only). Three forms, the cheapest that is exact:
 *
 * - DECIMAL(18, 6) column, resolution 1/q with q dividing 10⁶, bounds below 10¹² steps:
 *   clamp in DECIMAL(18, 6), then `round(value · q)` (DuckDB rounds decimals half away from zero);
 * - BIGINT column whose bounds are whole numbers: clamp in BIGINT, then N = value·q and, for a
 *   resolution p/q with p > 1, sign(N)·⌊(2|N| + p) / 2p⌋;
 * - otherwise (and always for `number`), HUGEINT: V = value in micro-units, N = V·q, D = p·10⁶,
 *   steps = sign(N)·⌊(2|N| + D) / 2D⌋, clamped to [min, max] steps.
 *
 * With `missing: 'low end'` (custom SQL's kept-rows form and attribution, as it has always
 * been) a NULL counts as the range's low end instead: the value is clamped in micro-units by
 * `least`/`greatest`, which skip NULLs, then rounded in HUGEINT as above.
 *
 * @example
 * ```ts
 * stepsSql('x."amount"', { type: 'decimal', range: { min: 0, max: 500 }, resolution: 0.01 });
 * // CAST(round((CASE WHEN x."amount" < CAST('0.000000' AS DECIMAL(18, 6)) THEN … END) * 100) AS BIGINT)
 * ```
 */
export function stepsSql(column: string, measure: SummedColumn, options: { missing?: 'null' | 'low end' } = {}): string {
  if (options.missing === 'low end') return missingAsLowEnd(column, measure);
  const { num: p, den: q } = toRational(measure.resolution);
  const min = stepsOf(measure.range.min, measure.resolution, 'min');
  const max = stepsOf(measure.range.max, measure.resolution, 'max');
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  const bound = abs(min) > abs(max) ? abs(min) : abs(max);
  if (measure.type === 'decimal' && p === 1n && MICRO % q === 0n && bound < DECIMAL_LIMIT) {
    const decimal = (steps: bigint): string => `CAST('${decimalText(steps * (MICRO / q))}' AS DECIMAL(18, 6))`;
    return `CAST(round(${clamp(column, decimal(min), decimal(max))} * ${q.toString()}) AS BIGINT)`;
  }
  if (measure.type === 'integer' && (min * p) % q === 0n && (max * p) % q === 0n && 2n * bound * p < BIGINT_SAFE) {
    const n = `(${clamp(column, ((min * p) / q).toString(), ((max * p) / q).toString())} * ${q.toString()})`;
    return p === 1n ? n : `(sign(${n}) * ((2 * abs(${n}) + ${p.toString()}) // ${(2n * p).toString()}))`;
  }
  const int = (value: bigint): string => `CAST(${value.toString()} AS HUGEINT)`;
  const n = `(CAST(CAST(${column} AS DECIMAL(38, 6)) * 1000000 AS HUGEINT) * ${int(q)})`;
  const d = int(p * MICRO);
  const rounded = `(sign(${n}) * ((2 * abs(${n}) + ${d}) // (2 * ${d})))`;
  return clamp(rounded, int(min), int(max));
}

/** Steps of a value clamped in micro-units by least/greatest: a NULL becomes the low end. */
function missingAsLowEnd(column: string, measure: SummedColumn): string {
  const { num: p, den: q } = toRational(measure.resolution);
  const huge = (value: bigint): string => `CAST('${value.toString()}' AS HUGEINT)`;
  const micro = (bound: RationalLike, name: string): bigint => {
    const r = toRational(bound);
    stepsOf(bound, measure.resolution, name);
    if ((r.num * MICRO) % r.den !== 0n) {
      throw new CleanRoomError('invalid_argument', `Cannot clamp to the range bound ${String(bound)}: it has more than 6 decimals, the precision of stored numbers`);
    }
    return (r.num * MICRO) / r.den;
  };
  const clamped = `least(greatest(CAST(CAST(${column} AS DECIMAL(38,6)) * 1000000 AS HUGEINT), ${huge(micro(measure.range.min, 'min'))}), ${huge(micro(measure.range.max, 'max'))})`;
  const x = `(${clamped} * ${huge(q)})`;
  const d = huge(p * MICRO);
  return `sign(${x}) * ((2 * abs(${x}) + ${d}) // (2 * ${d}))`;
}

/**
 * One person's total in a group (`total`, SQL in whole resolution steps) clamped to a
 * `personTotal` range, itself written in whole steps; NULL (no value) stays NULL.
 *
 * @example
 * ```ts
 * personTotalSql('sum(steps)', { min: 0, max: 1500 }, 0.01); // (CASE WHEN sum(steps) < CAST(0 AS HUGEINT) THEN … END)
 * ```
 */
export function personTotalSql(total: string, personTotal: ValueRange, resolution: RationalLike): string {
  const int = (value: bigint): string => `CAST(${value.toString()} AS HUGEINT)`;
  return clamp(total, int(stepsOf(personTotal.min, resolution, 'personTotal min')), int(stepsOf(personTotal.max, resolution, 'personTotal max')));
}

/** `value` clamped to [low, high]; NULL stays NULL (DuckDB's least and greatest skip NULLs, so they would turn it into a bound). */
function clamp(value: string, low: string, high: string): string {
  return `(CASE WHEN ${value} < ${low} THEN ${low} WHEN ${value} > ${high} THEN ${high} ELSE ${value} END)`;
}

/** Micro-units as decimal text with 6 places: -12345678n → '-12.345678'. */
function decimalText(micro: bigint): string {
  const sign = micro < 0n ? '-' : '';
  const abs = micro < 0n ? -micro : micro;
  return `${sign}${(abs / MICRO).toString()}.${(abs % MICRO).toString().padStart(6, '0')}`;
}
