import type { SqlParam } from '../../engine-port.js';
import type { Template } from '../../template/index.js';
import { ident, matchColumn, matchTable, personExpression } from '../../room/room-sql.js';
import type { ColumnRef } from '../plan-parts.js';
import { stepsSql, type SummedColumn } from './steps-sql.js';

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
  /** Summed columns: `type` is the template's (the room stores decimals as DECIMAL(18, 6), integers as BIGINT). */
  measures: ({ ref: ColumnRef } & SummedColumn)[];
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
 * 2. per person and group of that side at most m rows are kept, the first m in the order of
 *    `hash(seed, person, row)` (`min_by(steps, hash, m)`, a top-m per group, cheaper than a
 *    window) — a keyed hash whose seed is fresh for every run and bound as a parameter, so
 *    which rows survive is random and nobody can steer it; a side with no measures only says
 *    which groups a person is in (`SELECT DISTINCT`);
 * 3. the sides are joined on the person: one row per (person, group), with the person's kept
 *    sum in steps;
 * 4. per person at most k groups are kept, again in keyed-hash order;
 * 5. per group: `people` (rows of step 4, each a distinct person) and each measure's sum of
 *    steps, `"<dataset.column>.steps"` (HUGEINT: a decimal string past 2^53).
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
  const bind = (value: SqlParam): string => {
    params.push(value);
    return '?';
  };
  const ctes = [`m AS (SELECT ${ident(matchColumn(a))} AS pa, ${ident(matchColumn(b))} AS pb, k FROM ${ident(matchTable(a, b))})`];
  const joins: string[] = [];
  for (const side of sides) {
    const tag = side.dataset === a ? 'a' : 'b';
    const person = personExpression(template, side.dataset, 'x');
    const dims = side.dimensions.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`);
    // Called after the SELECT list is bound: the filters' values follow the seed's in the text.
    const from = (): string => `FROM ${ident(side.dataset)} x${where(side, params)}`;
    if (side.measures.length === 0) {
      // Only group keys from this side: a person is in a group or not, rows do not add up.
      ctes.push(`s_${tag} AS (SELECT DISTINCT ${[`${person} AS person`, ...dims].join(', ')} ${from()})`);
    } else {
      // Rows equal in every hashed value add the same to each sum, so which of them is kept does not matter.
      const hashed = side.measures.map((measure) => `x.${ident(measure.ref.column)}`);
      const select = [
        `${person} AS person`,
        ...dims,
        ...side.measures.map((measure) => `${stepsSql(`x.${ident(measure.ref.column)}`, measure)} AS ${ident(measure.ref.ref)}`),
        `hash(${bind(seed)}, ${person}, ${hashed.join(', ')}) AS h`,
      ];
      ctes.push(`r_${tag} AS (SELECT ${select.join(', ')} ${from()})`);
      // The m rows of smallest keyed hash per person and group (min_by skips rows whose value is NULL).
      const kept = ['person', ...side.dimensions.map((d) => ident(d.ref)), ...side.measures.map((measure) => `list_sum(min_by(${ident(measure.ref.ref)}, h, ${bind(maxRowsPerGroup)})) AS ${ident(measure.ref.ref)}`)];
      ctes.push(`s_${tag} AS (SELECT ${kept.join(', ')} FROM r_${tag} GROUP BY ALL)`);
    }
    joins.push(`JOIN s_${tag} ON s_${tag}.person = ${tag === 'a' ? 'm.pa' : 'm.pb'}`);
  }
  const groupKeys = [...(byMatchKey ? ['key'] : []), ...sides.flatMap((side) => side.dimensions.map((d) => ident(d.ref)))];
  const perPerson = [
    'm.pa AS pid',
    ...(byMatchKey ? ['m.k AS key'] : []),
    ...sides.flatMap((side) => side.dimensions.map((d) => `s_${side.dataset === a ? 'a' : 'b'}.${ident(d.ref)}`)),
    ...sides.flatMap((side) => side.measures.map((measure) => `s_${side.dataset === a ? 'a' : 'b'}.${ident(measure.ref.ref)}`)),
  ];
  ctes.push(`g AS (SELECT ${perPerson.join(', ')} FROM m ${joins.join(' ')})`);
  const dimensional = sides.some((side) => side.dimensions.length > 0);
  // Without dimensions each person is in one group (the match key is one per person): nothing to bound.
  ctes.push(
    dimensional
      ? `bounded AS (SELECT *, row_number() OVER (PARTITION BY pid ORDER BY hash(${[bind(seed), 'pid', ...groupKeys].join(', ')})) AS gn FROM g)`
      : 'bounded AS (SELECT *, 1 AS gn FROM g)',
  );
  const select = [...groupKeys, 'count(*) AS people', ...sides.flatMap((side) => side.measures.map((measure) => `sum(${ident(measure.ref.ref)}) AS ${ident(`${measure.ref.ref}.steps`)}`))];
  const tail = groupKeys.length > 0 ? '\nGROUP BY ALL\nORDER BY ALL' : '';
  return { sql: `WITH ${ctes.join(',\n')}\nSELECT ${select.join(', ')}\nFROM bounded WHERE gn <= ${bind(maxGroupsPerPerson)}${tail}`, params };
}

/** ` WHERE …` of a side's filters (alias `x`), their values appended to `params`. */
function where(side: BoundedSide, params: SqlParam[]): string {
  params.push(...side.filters.params);
  return side.filters.conditions.length === 0 ? '' : ` WHERE ${side.filters.conditions.join(' AND ')}`;
}
