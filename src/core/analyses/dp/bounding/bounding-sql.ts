import type { SqlParam } from '../../../engine-port.js';
import { ident, matchColumn, matchTable } from '../../../room-schema/room-sql.js';
import { boundLiteral } from './bound-literal.js';
import type { BoundedValue, BoundingPlan, BoundingSide } from './bounding-plan.js';
import { keepGroupsSql } from './keep-groups-sql.js';
import { keyedHashSql } from './keyed-hash-sql.js';
import { rankRowsSql, topValuesSql } from './keep-rows-sql.js';
import { personTotalSql } from './steps-sql.js';

/**
 * One SELECT that bounds each person's contribution BEFORE aggregating, then aggregates per
 * group, around the compilers' inner SELECTs (aggregate, overlap, lift; the JavaScript oracle
 * of the differential tests is `boundContributions`):
 *
 * 1. each side's rows come with their person (the compiler has clamped every value into
 *    whole resolution steps, `stepsSql`); per (person, group of that side) one plain hash
 *    aggregate gives the whole sum of each value and the row count. A side with no values and
 *    no counts only says which groups a person is in (`SELECT DISTINCT`);
 * 2. the sides meet on the person (the match table, or the first side's people): one row per
 *    (person, group), each value's total clamped to its `personTotal` when it has one;
 * 3. m: a pair with at most m rows keeps its whole sum, what any choice of m of its rows
 *    keeps; only the pairs above m go back to their rows (a semi-join) for the keyed-hash top
 *    m ({@link topValuesSql} per value, or {@link rankRowsSql} per row), which replace them;
 * 4. k: only the people in more than k groups are ranked ({@link keepGroupsSql});
 * 5. per group: `people` (each row of step 2 a distinct person), each value's sum of steps
 *    (HUGEINT: a decimal string past 2^53) and each side's `counts`.
 *
 * The result is built by difference, so that a query in which nobody exceeds m or k costs
 * about what the same aggregate without DP costs: one plain aggregate over every (person,
 * group), minus the groups the k bound drops, plus (top-m sum − whole sum) for the kept pairs
 * above m; a group left with no one is not in the result. The kept contributions are exactly
 * those of ranking every row and every group. Each choice depends only on that person's own
 * rows and the seed, so adding or removing one person changes at most k groups, each by one
 * person and at most m·B per sum.
 *
 * @example
 * ```ts
 * const { sql, params } = boundingSql({ people: { matched: ['readers', 'purchases'] }, sides, byMatchKey: false, maxGroupsPerPerson: 3, maxRowsPerGroup: 10, seed });
 * await room.query(sql, params);
 * ```
 */
export function boundingSql(plan: BoundingPlan): { sql: string; params: SqlParam[] } {
  const { people, sides, byMatchKey, maxGroupsPerPerson, maxRowsPerGroup, seed } = plan;
  const params: SqlParam[] = [];
  // Placeholders are positional: every piece of text is built left to right, binding as it goes.
  const bind = (value: SqlParam): string => {
    params.push(value);
    return '?';
  };
  const m = boundLiteral(maxRowsPerGroup, 'maxRowsPerGroup');
  const k = boundLiteral(maxGroupsPerPerson, 'maxGroupsPerPerson');
  const aggregated = (side: BoundingSide): boolean => side.values.length > 0 || side.counts !== undefined;
  const ctes: string[] = [];
  if (people !== 'first side') {
    const [a, b] = people.matched;
    ctes.push(`m AS (SELECT ${ident(matchColumn(a))} AS pa, ${ident(matchColumn(b))} AS pb, k FROM ${ident(matchTable(a, b))})`);
  }
  sides.forEach((side, i) => {
    params.push(...side.rows.params);
    if (!aggregated(side)) {
      ctes.push(`s_${i} AS (SELECT DISTINCT * FROM (${side.rows.sql}))`);
      return;
    }
    // Read twice (the plain aggregate, and the rows of the pairs above m) but never stored.
    ctes.push(`r_${i} AS NOT MATERIALIZED (${side.rows.sql})`);
    const sums = side.values.map((value) => `sum(${value.column}) AS ${value.column}`);
    ctes.push(`s_${i} AS (SELECT ${['person', ...side.keys, ...sums, 'count(*) AS __n'].join(', ')} FROM r_${i} GROUP BY ALL)`);
  });
  const from =
    people === 'first side'
      ? ['FROM s_0', ...sides.slice(1).map((_, j) => `LEFT JOIN s_${j + 1} ON s_${j + 1}.person = s_0.person`)]
      : ['FROM m', ...sides.map((side, i) => `JOIN s_${i} ON s_${i}.person = ${side.dataset === people.matched[0] ? 'm.pa' : 'm.pb'}`)];
  const groupKeys = [...(byMatchKey ? ['key'] : []), ...sides.flatMap((side) => side.keys)];
  const perPerson = [
    `${people === 'first side' ? 's_0.person' : 'm.pa'} AS pid`,
    ...(byMatchKey ? ['m.k AS key'] : []),
    ...sides.flatMap((side, i) => side.keys.map((key) => `s_${i}.${key}`)),
    ...sides.flatMap((side, i) => side.values.map((value) => `${totalClamped(`s_${i}.${value.column}`, value)} AS ${value.column}`)),
    ...sides.flatMap((side, i) => (aggregated(side) ? [`s_${i}.person AS __p_${i}, s_${i}.__n AS __n_${i}`] : [])),
  ];
  ctes.push(`g AS (SELECT ${perPerson.join(', ')} ${from.join(' ')})`);
  const summed = sides.flatMap((side, i) => (side.values.length > 0 ? [{ side, i }] : []));
  for (const { side, i } of summed) {
    const order = ['person', ...(side.order ?? side.values.map((value) => value.column))];
    const on = [`r.person = g.__p_${i}`, ...side.keys.map((key) => `r.${key} IS NOT DISTINCT FROM g.${key}`), `g.__n_${i} > ${m}`].join(' AND ');
    if (side.keep === 'values') {
      // Per value its m non-NULL values of smallest keyed hash: rows equal in every hashed value add the same.
      const topM = side.values.map((value) => `${totalClamped(topValuesSql(value.column, m), value)} AS ${value.column}`);
      ctes.push(`t_${i} AS (SELECT ${['person', ...side.keys, ...topM].join(', ')} FROM (SELECT r.*, ${keyedHashSql(bind(seed), 'r', order)} AS __h FROM r_${i} r SEMI JOIN g ON ${on}) GROUP BY ALL)`);
    } else {
      const topM = side.values.map((value) => `${totalClamped(`sum(${value.column})`, value)} AS ${value.column}`);
      const ranked = rankRowsSql({ rows: `r_${i}`, partition: ['person', ...side.keys], order, seed: bind(seed), join: `g ON ${on}` });
      ctes.push(`t_${i} AS (SELECT ${['person', ...side.keys, ...topM].join(', ')} FROM (${ranked}) WHERE __row_rank <= ${m} GROUP BY ALL)`);
    }
  }
  const counted = sides.flatMap((side, i) => (side.counts === undefined ? [] : [{ counts: side.counts, i }]));
  const valueColumns = sides.flatMap((side) => side.values.map((value) => ({ s: value.column, out: value.output })));
  const whereOf = (condition: string): string => (condition === '' ? '' : ` WHERE ${condition}`);
  const groupBy = groupKeys.length > 0 ? ' GROUP BY ALL' : '';
  const plain = (rows: string, sign: '' | '-'): string => {
    const counts = counted.flatMap(({ i }) => [`${sign}(count(*) FILTER (WHERE __n_${i} > 0)) AS __people_${i}`, `${sign}sum(CASE WHEN __n_${i} > ${m} THEN ${m} ELSE __n_${i} END) AS __rows_${i}`]);
    return `SELECT ${[...groupKeys, `${sign}count(*) AS people`, ...counts, ...valueColumns.map(({ s }) => `${sign}sum(${s}) AS ${s}`)].join(', ')} FROM (${rows})${groupBy}`;
  };
  const parts = [plain('SELECT * FROM g', '')];
  // The rows of g that the k bound keeps, of those matching `condition` (on g's columns).
  let kept = (condition: string): string => `SELECT * FROM g${whereOf(condition)}`;
  // Without group keys of a side each person is in one group (the match key is one per person): nothing to bound.
  if (sides.some((side) => side.keys.length > 0)) {
    const groups = keepGroupsSql({ pairs: 'g', person: 'pid', keys: groupKeys, k, seed: bind(seed) });
    ctes.push(`over_k AS (${groups.overK})`, `ranked_k AS (${groups.ranked})`);
    parts.push(plain(`SELECT * EXCLUDE (__group_rank) FROM ranked_k WHERE __group_rank > ${k}`, '-'));
    kept = (condition) =>
      `SELECT g.* FROM (SELECT * FROM g${whereOf(condition)}) g ANTI JOIN over_k o ON g.pid = o.pid UNION ALL SELECT * EXCLUDE (__group_rank) FROM ranked_k WHERE __group_rank <= ${k}${condition === '' ? '' : ` AND ${condition}`}`;
  }
  if (summed.length > 0) {
    const above = summed.map(({ i }) => `__n_${i} > ${m}`).join(' OR ');
    const fixed = summed.flatMap(({ side, i }) =>
      side.values.map((value) => {
        const [top, whole] = side.keep === 'values' ? [`t_${i}.${value.column}`, `x.${value.column}`] : [`coalesce(t_${i}.${value.column}, 0)`, `coalesce(x.${value.column}, 0)`];
        return `sum(CASE WHEN x.__n_${i} > ${m} THEN ${top} - ${whole} ELSE 0 END) AS ${value.column}`;
      }),
    );
    const joins = summed.map(({ side, i }) => `LEFT JOIN t_${i} ON t_${i}.person = x.__p_${i}${side.keys.map((key) => ` AND t_${i}.${key} IS NOT DISTINCT FROM x.${key}`).join('')}`);
    const zeros = counted.flatMap(({ i }) => [`0 AS __people_${i}`, `0 AS __rows_${i}`]);
    parts.push(`SELECT ${[...groupKeys.map((key) => `x.${key}`), '0 AS people', ...zeros, ...fixed].join(', ')} FROM (${kept(`(${above})`)}) x ${joins.join(' ')}${groupBy}`);
  }
  const counts = counted.flatMap(({ counts, i }) => [`CAST(sum(__people_${i}) AS BIGINT) AS ${counts.people}`, `sum(__rows_${i}) AS ${counts.rows}`]);
  const select = [...groupKeys, 'CAST(sum(people) AS BIGINT) AS people', ...counts, ...valueColumns.map(({ s, out }) => `sum(${s}) AS ${out}`)];
  // A group every one of whose people dropped it under the k bound is not in the result at all.
  const tail = groupKeys.length > 0 ? '\nGROUP BY ALL\nHAVING sum(people) > 0\nORDER BY ALL' : '';
  return { sql: `WITH ${ctes.join(',\n')}\nSELECT ${select.join(', ')}\nFROM (${parts.join('\n  UNION ALL ')})${tail}`, params };
}

/** A person's total of a value in a group, clamped to the value's `personTotal` when it has one. */
function totalClamped(total: string, value: BoundedValue): string {
  return value.personTotal === undefined ? total : personTotalSql(total, value.personTotal, value.resolution);
}
