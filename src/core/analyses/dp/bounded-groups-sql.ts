import type { SqlParam } from '../../engine-port.js';
import { CleanRoomError } from '../../errors.js';
import type { Template } from '../../template/index.js';
import { ident, matchColumn, matchTable, personExpression } from '../../room-schema/room-sql.js';
import type { ColumnRef } from '../plan-parts.js';
import type { ValueRange } from '../../privacy/dp/contribution-bounds.js';
import { personTotalSql, stepsSql, type SummedColumn } from './steps-sql.js';

/**
 * One side of a bounded aggregation: a dataset, its group keys, summed measures and row filters.
 *
 * @example
 * ```ts
 * const side: BoundedSide = { dataset: 'readers', dimensions: [columnRef('readers.segment')], measures: [], filters: { conditions: [], params: [] } };
 * ```
 */
export interface BoundedSide {
  dataset: string;
  dimensions: ColumnRef[];
  /**
   * Summed columns: `type` is the template's (the room stores decimals as DECIMAL(18, 6),
   * integers as BIGINT); `personTotal`, when set, clamps each person's total in a group.
   */
  measures: ({ ref: ColumnRef; personTotal?: ValueRange } & SummedColumn)[];
  /** WHERE conditions on the dataset's rows (alias `x`) and their bound values. */
  filters: { conditions: string[]; params: SqlParam[] };
}

/**
 * What {@link compileBoundedGroups} aggregates, and the contribution bounds it enforces.
 *
 * @example
 * ```ts
 * const plan: BoundedGroupsPlan = { pair: ['readers', 'purchases'], sides, byMatchKey: false, maxGroupsPerPerson: 1, maxRowsPerGroup: 2, seed };
 * ```
 */
export interface BoundedGroupsPlan {
  /** The analysis's two datasets, in the template's order; the first side's matched person is the privacy unit. */
  pair: readonly [string, string];
  /** The sides whose rows take part (a side with no keys, measures or filters may be left out). */
  sides: BoundedSide[];
  /** Also group by the match key that matched each person (`key`: its 0-based index). */
  byMatchKey: boolean;
  /** k: groups kept per person. */
  maxGroupsPerPerson: number;
  /** m: rows kept per person in each group of a side. */
  maxRowsPerGroup: number;
  /** A fresh random per-run seed: which rows and groups are kept is decided by a hash keyed with it. */
  seed: string;
}

/**
 * One SELECT that bounds each matched person's contribution BEFORE aggregating, then
 * aggregates per group. It is the SQL counterpart of `boundContributions`:
 *
 * 1. each side's rows (filtered) are tied to the matched person (`pid`, the first side's
 *    person in the match table) and each measure is clamped to its declared range and turned
 *    into whole resolution steps, exactly ({@link stepsSql});
 * 2. per person and group of that side at most m rows are kept (per measure, of the rows
 *    where it is not NULL): the first m in the order of `hash(seed, person, steps)`, a hash
 *    keyed with a seed that is fresh for every run and bound as a parameter, so which rows
 *    survive is random and nobody can steer it. A side with no measures only says which
 *    groups a person is in (`SELECT DISTINCT`);
 * 3. the sides are joined on the person: one row per (person, group), with the person's sum
 *    in steps;
 * 4. per person at most k groups are kept, again in keyed-hash order;
 * 5. per group: `people` (rows of step 4, each a distinct person) and each measure's sum of
 *    steps, `"<dataset.column>.steps"` (HUGEINT: a decimal string past 2^53).
 *
 * Ranking is only done where a bound binds, so a query in which nobody exceeds m or k costs
 * about what the same aggregate without DP costs. Steps 2 and 3 are one plain hash aggregate
 * per side (each (person, group)'s sum of steps and its row count) and the join: a pair with
 * at most m rows keeps its whole sum, which is what any choice of m of its rows keeps; only
 * the pairs of matched people with more than m rows go back to their rows (a semi-join) for
 * the keyed-hash top m (`min_by(steps, hash, m)`), and their sums replace the plain ones.
 * In step 4 only the people in more than k groups are ranked (a window over their rows);
 * everyone else keeps all their groups. The per-group result is one plain aggregate over all
 * (person, group) rows, minus the groups the k bound drops, plus (top-m sum − whole sum) for
 * the kept pairs above m; a group left with no one is not in the result. The kept
 * contributions are exactly those of ranking every row and every group.
 *
 * Each choice depends only on that person's own rows and the seed, so adding or removing one
 * person changes at most k groups, each by one person and at most m·B per sum.
 *
 * @example
 * ```ts
 * const { sql, params } = compileBoundedGroups(template, { pair: ['readers', 'purchases'], sides, byMatchKey: false, maxGroupsPerPerson: 3, maxRowsPerGroup: 10, seed });
 * await room.query(sql, params);
 * ```
 */
export function compileBoundedGroups(template: Template, plan: BoundedGroupsPlan): { sql: string; params: SqlParam[] } {
  const { pair, sides, byMatchKey, maxGroupsPerPerson, maxRowsPerGroup, seed } = plan;
  const [a, b] = pair;
  const params: SqlParam[] = [];
  // Placeholders are positional: every piece of text is built left to right, binding as it goes.
  const bind = (value: SqlParam): string => {
    params.push(value);
    return '?';
  };
  // The bounds are written as integer literals (each appears several times); the seed is bound.
  const m = integerLiteral(maxRowsPerGroup, 'maxRowsPerGroup');
  const k = integerLiteral(maxGroupsPerPerson, 'maxGroupsPerPerson');
  const tagOf = (side: BoundedSide): 'a' | 'b' => (side.dataset === a ? 'a' : 'b');
  const dimsOf = (side: BoundedSide): string[] => side.dimensions.map((d) => ident(d.ref));
  const stepsOf = (side: BoundedSide): string[] => side.measures.map((measure) => ident(measure.ref.ref));
  const summed = sides.filter((side) => side.measures.length > 0);
  const ctes = [`m AS (SELECT ${ident(matchColumn(a))} AS pa, ${ident(matchColumn(b))} AS pb, k FROM ${ident(matchTable(a, b))})`];
  const joins: string[] = [];
  for (const side of sides) {
    const tag = tagOf(side);
    const person = personExpression(template, side.dataset, 'x');
    const dims = side.dimensions.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`);
    // Called after the SELECT list is bound: the filters' values follow its own in the text.
    const from = (): string => `FROM ${ident(side.dataset)} x${where(side, params)}`;
    if (side.measures.length === 0) {
      // Only group keys from this side: a person is in a group or not, rows do not add up.
      ctes.push(`s_${tag} AS (SELECT DISTINCT ${[`${person} AS person`, ...dims].join(', ')} ${from()})`);
    } else {
      const select = [`${person} AS person`, ...dims, ...side.measures.map((measure) => `${stepsSql(`x.${ident(measure.ref.column)}`, measure)} AS ${ident(measure.ref.ref)}`)];
      // Read twice (the plain aggregate, and the rows of the pairs above m) but never stored:
      // the second read only passes rows of pairs above m.
      ctes.push(`r_${tag} AS NOT MATERIALIZED (SELECT ${select.join(', ')} ${from()})`);
      // Each (person, group): its whole sum of steps (sum skips NULLs) and its row count. A
      // count of rows at most m means at most m values of each measure: all of them are kept.
      const sums = stepsOf(side).map((s) => `sum(${s}) AS ${s}`);
      ctes.push(`s_${tag} AS (SELECT ${['person', ...dimsOf(side), ...sums, 'count(*) AS __n'].join(', ')} FROM r_${tag} GROUP BY ALL)`);
    }
    joins.push(`JOIN s_${tag} ON s_${tag}.person = ${tag === 'a' ? 'm.pa' : 'm.pb'}`);
  }
  const groupKeys = [...(byMatchKey ? ['key'] : []), ...sides.flatMap(dimsOf)];
  const perPerson = [
    'm.pa AS pid',
    ...(byMatchKey ? ['m.k AS key'] : []),
    ...sides.flatMap((side) => dimsOf(side).map((d) => `s_${tagOf(side)}.${d}`)),
    ...sides.flatMap((side) => side.measures.map((measure) => `${totalClamped(`s_${tagOf(side)}.${ident(measure.ref.ref)}`, measure)} AS ${ident(measure.ref.ref)}`)),
    ...summed.map((side) => `${tagOf(side) === 'a' ? 'm.pa' : 'm.pb'} AS __p_${tagOf(side)}, s_${tagOf(side)}.__n AS __n_${tagOf(side)}`),
  ];
  ctes.push(`g AS (SELECT ${perPerson.join(', ')} FROM m ${joins.join(' ')})`);
  for (const side of summed) {
    // The pairs of matched people above m: their m rows of smallest keyed hash, per measure
    // the non-NULL ones (min_by skips NULL values). Rows equal in every hashed value add the
    // same to each sum, so which of them is kept does not matter.
    const tag = tagOf(side);
    const steps = stepsOf(side);
    const topM = side.measures.map((measure) => `${totalClamped(`list_sum(min_by(${ident(measure.ref.ref)}, __h, ${m}))`, measure)} AS ${ident(measure.ref.ref)}`);
    const hashed = `hash(${[bind(seed), 'r.person', ...steps.map((s) => `r.${s}`)].join(', ')}) AS __h`;
    const on = [`r.person = g.__p_${tag}`, ...dimsOf(side).map((d) => `r.${d} IS NOT DISTINCT FROM g.${d}`), `g.__n_${tag} > ${m}`];
    ctes.push(`t_${tag} AS (SELECT ${['person', ...dimsOf(side), ...topM].join(', ')} FROM (SELECT r.*, ${hashed} FROM r_${tag} r SEMI JOIN g ON ${on.join(' AND ')}) GROUP BY ALL)`);
  }
  // The rows of g that the k bound keeps, those matching `extra` (a condition on g's columns).
  // The result is built by difference, so that the common case is one plain aggregate over g:
  // every row of g, minus the groups the k bound drops, plus (top-m sum − whole sum) for the
  // kept rows whose pair is above m. Both corrections are empty unless a bound binds.
  const stepsColumns = summed.flatMap((side) => side.measures.map((measure) => ({ side, s: ident(measure.ref.ref), out: ident(`${measure.ref.ref}.steps`) })));
  const whereOf = (condition: string): string => (condition === '' ? '' : ` WHERE ${condition}`);
  const counted = (rows: string, sign: '' | '-'): string =>
    `SELECT ${[...groupKeys, `${sign}count(*) AS people`, ...stepsColumns.map(({ s }) => `${sign}sum(${s}) AS ${s}`)].join(', ')} FROM (${rows})${groupKeys.length > 0 ? ' GROUP BY ALL' : ''}`;
  const parts = [counted('SELECT * FROM g', '')];
  // The rows of g that the k bound keeps, of those matching `condition` (on g's columns).
  let kept = (condition: string): string => `SELECT * FROM g${whereOf(condition)}`;
  // Without dimensions each person is in one group (the match key is one per person): nothing to bound.
  if (sides.some((side) => side.dimensions.length > 0)) {
    // People in more than k groups: only their groups are ranked by the keyed hash; everyone else keeps all.
    ctes.push(`over_k AS (SELECT pid FROM g GROUP BY pid HAVING count(*) > ${k})`);
    const order = `hash(${[bind(seed), 'g.pid', ...groupKeys.map((key) => `g.${key}`)].join(', ')})`;
    ctes.push(`ranked_k AS (SELECT g.*, row_number() OVER (PARTITION BY g.pid ORDER BY ${order}) AS __gn FROM g SEMI JOIN over_k o ON g.pid IS NOT DISTINCT FROM o.pid)`);
    parts.push(counted(`SELECT * EXCLUDE (__gn) FROM ranked_k WHERE __gn > ${k}`, '-'));
    kept = (condition) =>
      `SELECT g.* FROM (SELECT * FROM g${whereOf(condition)}) g ANTI JOIN over_k o ON g.pid IS NOT DISTINCT FROM o.pid UNION ALL SELECT * EXCLUDE (__gn) FROM ranked_k WHERE __gn <= ${k}${condition === '' ? '' : ` AND ${condition}`}`;
  }
  if (summed.length > 0) {
    const above = summed.map((side) => `__n_${tagOf(side)} > ${m}`).join(' OR ');
    const fixed = stepsColumns.map(({ side, s }) => `sum(CASE WHEN x.__n_${tagOf(side)} > ${m} THEN t_${tagOf(side)}.${s} - x.${s} ELSE 0 END) AS ${s}`);
    const joins = summed.map((side) => {
      const tag = tagOf(side);
      return `LEFT JOIN t_${tag} ON t_${tag}.person = x.__p_${tag}${dimsOf(side).map((d) => ` AND t_${tag}.${d} IS NOT DISTINCT FROM x.${d}`).join('')}`;
    });
    parts.push(`SELECT ${[...groupKeys.map((key) => `x.${key}`), '0 AS people', ...fixed].join(', ')} FROM (${kept(`(${above})`)}) x ${joins.join(' ')}${groupKeys.length > 0 ? ' GROUP BY ALL' : ''}`);
  }
  const select = [...groupKeys, 'CAST(sum(people) AS BIGINT) AS people', ...stepsColumns.map(({ s, out }) => `sum(${s}) AS ${out}`)];
  // A group every one of whose people dropped it under the k bound is not in the result at all.
  const tail = groupKeys.length > 0 ? '\nGROUP BY ALL\nHAVING sum(people) > 0\nORDER BY ALL' : '';
  return { sql: `WITH ${ctes.join(',\n')}\nSELECT ${select.join(', ')}\nFROM (${parts.join('\n  UNION ALL ')})${tail}`, params };
}

/** A person's total of a measure in a group, clamped to the measure's `personTotal` when it has one. */
function totalClamped(total: string, measure: { personTotal?: ValueRange } & SummedColumn): string {
  return measure.personTotal === undefined ? total : personTotalSql(total, measure.personTotal, measure.resolution);
}

/** A bound as SQL text: a validated template's bounds are positive integers; anything else is a bug upstream. */
export function integerLiteral(value: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CleanRoomError('invalid_argument', `Cannot bound contributions with ${name} = ${String(value)}: it must be a whole number of at least 1`);
  }
  return String(value);
}

/** ` WHERE …` of a side's filters (alias `x`), their values appended to `params`. */
function where(side: BoundedSide, params: SqlParam[]): string {
  params.push(...side.filters.params);
  return side.filters.conditions.length === 0 ? '' : ` WHERE ${side.filters.conditions.join(' AND ')}`;
}
