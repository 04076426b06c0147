import { CleanRoomError } from '../../errors.js';
import type { ValueRange } from '../../privacy/dp/contribution-bounds.js';
import { toRational } from '../../privacy/dp/rational.js';
import { integerLiteral } from './bounded-groups-sql.js';
import { personTotalSql } from './steps-sql.js';

/** One aggregate output; `filter` is the inner column holding its FILTER condition, if any. */
export type Stat = { name: string; filter?: string } & (
  | { kind: 'count'; sql: string }
  | {
      kind: 'sum' | 'avg';
      value: number;
      range: [number, number];
      /** The argument and FILTER as the tree writes them: equal shapes sum the same bounded rows. */
      shape: string;
      /** For an avg: the output `sum` of the same argument and filter whose noisy value it divides. */
      sumOf?: string;
      /** Each person's total in a group clamped to this range (in the column's units), after the m bound. */
      personTotal?: [number, number];
    }
);

const MICRO = 1_000_000n;

/**
 * The bounding and per-group aggregation around an inner SELECT of `__g<i>` group keys, the
 * person `__pid` and values `__v<j>`. Every number in it (k, m, range bounds, resolution) and
 * the seed are written as literals we make ourselves (validated here), so the only
 * placeholders are the inner SELECT's own, in its order: any inner with `?` parameters fits.
 * Used by custom SQL under DP (`dpQuery`) and attribution under DP. The output has a row per
 * group: `g<i>`, `people`, and per statistic j `c<j>` (a count), `s<j>` (a sum in steps) and
 * `n<j>` (an avg's count).
 *
 * @example
 * ```ts
 * const sql = boundedSql(inner, seed, { groups: 1, values: 1, stats: [{ name: 'spend', kind: 'sum', value: 0, range: [0, 500], shape: '' }], k: 1, m: 5, resolution: 0.01 });
 * ```
 */
export function boundedSql(inner: string, seed: string, shape: { groups: number; values: number; stats: readonly Stat[]; k: number; m: number; resolution: number }): string {
  if (!/^[0-9A-Za-z_-]{1,128}$/.test(seed)) throw new CleanRoomError('invalid_argument', 'Cannot bound contributions: the seed must be 1 to 128 letters, digits, _ or -');
  const literal = { seed: `'${seed}'`, k: integerLiteral(shape.k, 'maxGroupsPerPerson'), m: integerLiteral(shape.m, 'maxRowsPerGroup') };
  const g = Array.from({ length: shape.groups }, (_, i) => `__g${i}`);
  const valueColumns = Array.from({ length: shape.values }, (_, i) => `__v${i}`);
  const list = (cols: readonly string[]): string => cols.map((c) => `, ${c}`).join('');
  const resolution = toRational(shape.resolution);
  const huge = (value: bigint): string => `CAST('${value.toString()}' AS HUGEINT)`;
  /** Sums whose per-person total in a group is capped: added up per (group, person) first. */
  const capped: { j: number; sum: string; personTotal: ValueRange }[] = [];
  const selects = shape.stats.flatMap((s, j) => {
    const only = s.filter === undefined ? '' : ` FILTER (WHERE ${s.filter})`;
    if (s.kind === 'count') return [`${s.sql}${only} AS c${j}`];
    // An avg that divides another output's sum needs only its own count.
    if (s.sumOf !== undefined) return [`count(__v${s.value})${only} AS n${j}`];
    // Clamp in millionths (every stored number has at most 6 decimals), then round to steps,
    // ties away from zero, all in HUGEINT: no floating point, no overflow.
    const micro = `least(greatest(CAST(CAST(__v${s.value} AS DECIMAL(38,6)) * 1000000 AS HUGEINT), ${huge(toMicro(s.range[0]))}), ${huge(toMicro(s.range[1]))})`;
    const x = `(${micro} * ${huge(resolution.den)})`;
    const d = huge(resolution.num * MICRO);
    const steps = `sign(${x}) * ((2 * abs(${x}) + ${d}) // (2 * ${d}))`;
    const count = s.kind === 'avg' ? [`count(__v${s.value})${only} AS n${j}`] : [];
    if (s.personTotal !== undefined) {
      capped.push({ j, sum: `sum(${steps})${only}`, personTotal: { min: s.personTotal[0], max: s.personTotal[1] } });
      return count;
    }
    return [`sum(${steps})${only} AS s${j}`, ...count];
  });
  // Rank only where a bound binds: count the rows of each (person, group) with a plain hash
  // aggregate; rows of pairs with at most m rows, of people in at most k groups, are all kept
  // (what any choice keeps). Only the pairs above m and the people above k are ranked by the
  // keyed hash, over their own rows: the same rows are kept as ranking every row would keep.
  const on = (left: string, right: string): string => [`${left}.__pid = ${right}.__pid`, ...g.map((c) => `${left}.${c} IS NOT DISTINCT FROM ${right}.${c}`)].join(' AND ');
  const sql = [
    `WITH src AS (SELECT * FROM (${inner}) WHERE __pid IS NOT NULL),`,
    `pairs AS (SELECT __pid${list(g)}, count(*) AS __n FROM src GROUP BY ALL),`,
    `over_k AS (SELECT __pid FROM pairs GROUP BY __pid HAVING count(*) > ${literal.k}),`,
    // The pairs that need ranking, each marked whether its group is among its person's k.
    `bound AS (SELECT p.*, p.__pid IN (SELECT __pid FROM over_k) AS __over FROM pairs p WHERE p.__n > ${literal.m} OR p.__pid IN (SELECT __pid FROM over_k)),`,
    `ranked_groups AS (SELECT b.*, row_number() OVER (PARTITION BY b.__pid ORDER BY hash(${literal.seed}, b.__pid${list(g.map((c) => `b.${c}`))})${list(g.map((c) => `b.${c}`))}) AS __group_rank FROM bound b SEMI JOIN over_k o ON b.__pid = o.__pid),`,
    // Kept pairs that need a row bound: those above m whose group survives the k bound.
    `kept_bound AS (SELECT __pid${list(g)}, __n FROM bound WHERE NOT __over UNION ALL SELECT __pid${list(g)}, __n FROM ranked_groups WHERE __group_rank <= ${literal.k}),`,
    `rows_ranked AS (SELECT s.*, row_number() OVER (PARTITION BY s.__pid${list(g.map((c) => `s.${c}`))} ORDER BY hash(${literal.seed}, s.__pid${list(g.map((c) => `s.${c}`))}${list(valueColumns.map((c) => `s.${c}`))})) AS __row_rank FROM src s SEMI JOIN kept_bound k ON ${on('s', 'k')}),`,
    `kept AS (SELECT s.* FROM src s ANTI JOIN bound b ON ${on('s', 'b')} UNION ALL SELECT * EXCLUDE (__row_rank) FROM rows_ranked WHERE __row_rank <= ${literal.m})`,
    `SELECT ${[...g.map((c, i) => `${c} AS g${i}`), 'count(DISTINCT __pid) AS people', ...selects].join(', ')}`,
    'FROM kept',
    g.length > 0 ? `GROUP BY ${g.join(', ')}` : '',
  ].join('\n');
  if (capped.length === 0) return sql;
  // Capped sums: each person's total per group, clamped (NULL, no value, stays NULL), then added up.
  const perPerson = `SELECT ${[...g, '__pid', ...capped.map((c) => `${c.sum} AS ps${c.j}`)].join(', ')} FROM kept GROUP BY ALL`;
  const clamp = (c: (typeof capped)[number]): string => `sum(${personTotalSql(`ps${c.j}`, c.personTotal, shape.resolution)}) AS s${c.j}`;
  const totals = `SELECT ${[...g, ...capped.map(clamp)].join(', ')} FROM (${perPerson})${g.length > 0 ? ' GROUP BY ALL' : ''}`;
  const joinOn = g.length === 0 ? 'true' : g.map((c, i) => `main.g${i} IS NOT DISTINCT FROM totals.${c}`).join(' AND ');
  // `main` is the query above without its capped sums; its WITH clause is kept as it is.
  const at = sql.lastIndexOf('\nSELECT ');
  return `${sql.slice(0, at)},\nmain AS (${sql.slice(at + 1)}),\ntotals AS (${totals})\nSELECT main.*, ${capped.map((c) => `totals.s${c.j}`).join(', ')} FROM main LEFT JOIN totals ON ${joinOn}`;
}

function toMicro(value: number): bigint {
  const r = toRational(value);
  if ((r.num * MICRO) % r.den !== 0n) {
    throw new CleanRoomError('invalid_argument', `Cannot clamp to the range bound ${value}: it has more than 6 decimals, the precision of stored numbers`);
  }
  return (r.num * MICRO) / r.den;
}
