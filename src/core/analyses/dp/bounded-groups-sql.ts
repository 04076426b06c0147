import type { SqlParam } from '../../engine-port.js';
import { toRational, type RationalLike } from '../../privacy/dp/rational.js';
import { stepsOf } from '../../privacy/dp/fixed-point.js';
import type { ValueRange } from '../../privacy/dp/contribution-bounds.js';
import type { Template } from '../../template/index.js';
import { ident, matchColumn, matchTable, personExpression } from '../../room/room-sql.js';
import type { ColumnRef } from '../plan-parts.js';

/** One side of a bounded aggregation: a dataset, its group keys, summed measures and row filters. */
export interface BoundedSide {
  dataset: string;
  dimensions: ColumnRef[];
  measures: { ref: ColumnRef; range: ValueRange; resolution: RationalLike }[];
  /** WHERE conditions on the dataset's rows (alias `x`) and their bound values. */
  filters: { conditions: string[]; params: SqlParam[] };
}

/** What {@link compileBoundedGroups} aggregates, and the contribution bounds it enforces. */
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

/** DECIMAL places the room stores (see the engine's load plan): values are read exactly as micro-units. */
const MICRO = 1_000_000n;

/**
 * One SELECT that bounds each matched person's contribution BEFORE aggregating, then
 * aggregates per group. It is the SQL counterpart of `boundContributions`:
 *
 * 1. each side's rows (filtered) are tied to the matched person (`pid`, the first side's
 *    person in the match table) and each measure is clamped to its declared range and turned
 *    into whole resolution steps, exactly: the value as integer micro-units V (the room keeps
 *    6 decimal places), then round(V·q / (p·10⁶)) for a resolution p/q, ties away from zero,
 *    in HUGEINT arithmetic, then clamped to [min, max] in steps (rounding is monotone and the
 *    bounds are whole steps, so this equals rounding the clamped value);
 * 2. per person and group of that side at most m rows are kept, the first m in the order of
 *    `hash(seed, person, row)` — a keyed hash whose seed is fresh for every run and bound as
 *    a parameter, so which rows survive is random and nobody can steer it;
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
    const me = tag === 'a' ? 'm.pa' : 'm.pb';
    const dims = side.dimensions.map((d) => `x.${ident(d.column)}`);
    const rowColumns = Object.keys(template.datasets[side.dataset]!.columns).map((c) => `x.${ident(c)}`);
    const select = [
      'm.pa AS pid',
      ...side.dimensions.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`),
      ...side.measures.map((measure) => `${stepsExpression(`x.${ident(measure.ref.column)}`, measure)} AS ${ident(measure.ref.ref)}`),
      `row_number() OVER (PARTITION BY ${['m.pa', ...dims].join(', ')} ORDER BY hash(${bind(seed)}, m.pa, ${rowColumns.join(', ')})) AS rn`,
    ];
    const where = side.filters.conditions.length === 0 ? '' : ` WHERE ${side.filters.conditions.join(' AND ')}`;
    params.push(...side.filters.params);
    ctes.push(`r_${tag} AS (SELECT ${select.join(', ')} FROM ${ident(side.dataset)} x JOIN m ON ${me} = ${personExpression(template, side.dataset, 'x')}${where})`);
    const kept = ['pid', ...side.dimensions.map((d) => ident(d.ref)), ...side.measures.map((measure) => `sum(${ident(measure.ref.ref)}) AS ${ident(measure.ref.ref)}`)];
    ctes.push(`s_${tag} AS (SELECT ${kept.join(', ')} FROM r_${tag} WHERE rn <= ${bind(maxRowsPerGroup)} GROUP BY ALL)`);
    joins.push(`JOIN s_${tag} ON s_${tag}.pid = m.pa`);
  }
  const groupKeys = [...(byMatchKey ? ['key'] : []), ...sides.flatMap((side) => side.dimensions.map((d) => ident(d.ref)))];
  const perPerson = [
    'm.pa AS pid',
    ...(byMatchKey ? ['m.k AS key'] : []),
    ...sides.flatMap((side) => side.dimensions.map((d) => `s_${side.dataset === a ? 'a' : 'b'}.${ident(d.ref)}`)),
    ...sides.flatMap((side) => side.measures.map((measure) => `s_${side.dataset === a ? 'a' : 'b'}.${ident(measure.ref.ref)}`)),
  ];
  ctes.push(`g AS (SELECT ${perPerson.join(', ')} FROM m ${joins.join(' ')})`);
  ctes.push(`bounded AS (SELECT *, row_number() OVER (PARTITION BY pid ORDER BY hash(${[bind(seed), 'pid', ...groupKeys].join(', ')})) AS gn FROM g)`);
  const select = [...groupKeys, 'count(*) AS people', ...sides.flatMap((side) => side.measures.map((measure) => `sum(${ident(measure.ref.ref)}) AS ${ident(`${measure.ref.ref}.steps`)}`))];
  const tail = groupKeys.length > 0 ? '\nGROUP BY ALL\nORDER BY ALL' : '';
  return { sql: `WITH ${ctes.join(',\n')}\nSELECT ${select.join(', ')}\nFROM bounded WHERE gn <= ${bind(maxGroupsPerPerson)}${tail}`, params };
}

/**
 * The SQL that turns one value into whole resolution steps clamped to its range (HUGEINT):
 * V = value in micro-units (exact for the room's DECIMAL(18, 6) and BIGINT columns),
 * N = V·q, D = p·10⁶ for a resolution p/q, steps = sign(N)·⌊(2|N| + D) / 2D⌋. The constants
 * are integers computed from the validated template (digits only), written as literals.
 */
function stepsExpression(column: string, measure: BoundedSide['measures'][number]): string {
  const resolution = toRational(measure.resolution);
  const min = stepsOf(measure.range.min, measure.resolution, 'min');
  const max = stepsOf(measure.range.max, measure.resolution, 'max');
  const int = (value: bigint): string => `CAST(${value.toString()} AS HUGEINT)`;
  const n = `(CAST(CAST(${column} AS DECIMAL(38, 6)) * 1000000 AS HUGEINT) * ${int(resolution.den)})`;
  const d = int(resolution.num * MICRO);
  const rounded = `(sign(${n}) * ((2 * abs(${n}) + ${d}) // (2 * ${d})))`;
  return `least(greatest(${rounded}, ${int(min)}), ${int(max)})`;
}
