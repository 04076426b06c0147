import type { ValueRange } from '../../../privacy/dp/contribution-bounds.js';
import { boundLiteral, seedLiteral } from './bound-literal.js';
import { keepGroupsSql } from './keep-groups-sql.js';
import { rankRowsSql } from './keep-rows-sql.js';
import { personTotalSql, stepsSql } from './steps-sql.js';

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

/**
 * The bounding and per-group aggregation around an inner SELECT of `__g<i>` group keys, the
 * person `__pid` and values `__v<j>`, for statistics that need the kept rows themselves
 * (custom SQL's counts of distinct values and FILTERs; attribution). Per person at most k
 * groups ({@link keepGroupsSql}) and per (person, group) at most m rows ({@link rankRowsSql},
 * ordered by `hash(seed, __pid, __g…, __v…)`), ranking only where a bound binds; each summed
 * value clamped to its range in whole resolution steps ({@link stepsSql}); each capped sum's
 * per-person total clamped ({@link personTotalSql}). Every number in it and the seed are
 * literals we make ourselves (validated), so the only placeholders are the inner SELECT's
 * own, in its order. The output has a row per group: `g<i>`, `people`, and per statistic j
 * `c<j>` (a count), `s<j>` (a sum in steps) and `n<j>` (an avg's count).
 *
 * @example
 * ```ts
 * const sql = boundedRowsSql(inner, seed, { groups: 1, values: 1, stats: [{ name: 'spend', kind: 'sum', value: 0, range: [0, 500], shape: '' }], k: 1, m: 5, resolution: 0.01 });
 * ```
 */
export function boundedRowsSql(inner: string, seed: string, shape: { groups: number; values: number; stats: readonly Stat[]; k: number; m: number; resolution: number }): string {
  const literal = { seed: seedLiteral(seed), k: boundLiteral(shape.k, 'maxGroupsPerPerson'), m: boundLiteral(shape.m, 'maxRowsPerGroup') };
  const g = Array.from({ length: shape.groups }, (_, i) => `__g${i}`);
  const valueColumns = Array.from({ length: shape.values }, (_, i) => `__v${i}`);
  const list = (cols: readonly string[]): string => cols.map((c) => `, ${c}`).join('');
  /** Sums whose per-person total in a group is capped: added up per (group, person) first. */
  const capped: { j: number; sum: string; personTotal: ValueRange }[] = [];
  const selects = shape.stats.flatMap((s, j) => {
    const only = s.filter === undefined ? '' : ` FILTER (WHERE ${s.filter})`;
    if (s.kind === 'count') return [`${s.sql}${only} AS c${j}`];
    // An avg that divides another output's sum needs only its own count.
    if (s.sumOf !== undefined) return [`count(__v${s.value})${only} AS n${j}`];
    const range = { min: s.range[0], max: s.range[1] };
    // Here a missing value counts as the range's low end (as it always has; from 0 it adds nothing).
    const steps = stepsSql(`__v${s.value}`, { type: 'number', range: { min: s.range[0], max: s.range[1] }, resolution: shape.resolution }, { missing: 'low end' });
    const count = s.kind === 'avg' ? [`count(__v${s.value})${only} AS n${j}`] : [];
    if (s.personTotal !== undefined) {
      capped.push({ j, sum: `sum(${steps})${only}`, personTotal: { min: s.personTotal[0], max: s.personTotal[1] } });
      return count;
    }
    return [`sum(${steps})${only} AS s${j}`, ...count];
  });
  const on = (left: string, right: string): string => [`${left}.__pid = ${right}.__pid`, ...g.map((c) => `${left}.${c} IS NOT DISTINCT FROM ${right}.${c}`)].join(' AND ');
  const groups = keepGroupsSql({ pairs: 'pairs', person: '__pid', keys: g, k: literal.k, seed: literal.seed });
  const sql = [
    `WITH src AS (SELECT * FROM (${inner}) WHERE __pid IS NOT NULL),`,
    `pairs AS (SELECT __pid${list(g)}, count(*) AS __n FROM src GROUP BY ALL),`,
    `over_k AS (${groups.overK}),`,
    // The pairs that need ranking: those above m, and every pair of a person above k.
    `bound AS (SELECT p.*, p.__pid IN (SELECT __pid FROM over_k) AS __over FROM pairs p WHERE p.__n > ${literal.m} OR p.__pid IN (SELECT __pid FROM over_k)),`,
    `ranked_groups AS (${groups.ranked}),`,
    // Kept pairs that need a row bound: those above m whose group survives the k bound.
    `kept_bound AS (SELECT __pid${list(g)}, __n FROM bound WHERE NOT __over UNION ALL SELECT __pid${list(g)}, __n FROM ranked_groups WHERE __group_rank <= ${literal.k}),`,
    `rows_ranked AS (${rankRowsSql({ rows: 'src', partition: ['__pid', ...g], order: ['__pid', ...g, ...valueColumns], seed: literal.seed, join: `kept_bound k ON ${on('r', 'k')}` })}),`,
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
