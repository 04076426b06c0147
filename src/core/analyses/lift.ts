import type { Cell, SqlParam } from '../engine-port.js';
import type { LiftAnalysis, ParamValue, Template } from '../template/index.js';
import { ident, matchColumn, matchTable, personExpression } from '../room-schema/room-sql.js';
import type { CompiledAnalysis } from './compiled-analysis.js';
import type { SketchSettings } from '../privacy/difference/population-sketch.js';
import { sketchSelect } from '../privacy/difference/population-sketch.js';

import { liftStatistics } from './lift-statistics.js';
import type { LiftStatistics } from './lift-statistics.js';
import { filterConditions, groupByRefs, where } from './plan-parts.js';

/**
 * Lift: the people of the assignment dataset split into exposed and holdout by its
 * assignment column; a person converts when the conversions dataset holds a conversion
 * (within the date filters) by a person matched to them. Unmatched assigned people count
 * as non-converters, so rates are over whole arms, as in a randomised holdout test.
 *
 * One row per arm (and group): people, converters, conversions, revenue and the sum of
 * squared per-person revenue (for the revenue interval; never released as such).
 *
 * @example
 * ```ts
 * const compiled = compileLift(template, 'lift', { group_by: [] });
 * ```
 */
export function compileLift(template: Template, analysisName: string, params: Readonly<Record<string, ParamValue | undefined>>, sketch?: SketchSettings): CompiledAnalysis {
  const analysis = template.analyses[analysisName] as LiftAnalysis;
  const { assignment, conversions } = analysis;
  const dims = groupByRefs(params).filter((d) => d.dataset === assignment.dataset);
  const assignFilters = filterConditions(analysis, params, assignment.dataset, 'x');
  const convFilters = filterConditions(analysis, params, conversions.dataset, 'c');
  // In SQL order: the CASE, the IN list, then each side's filters.
  const bound: SqlParam[] = [assignment.exposed, assignment.holdout, assignment.exposed, assignment.holdout, ...assignFilters.params, ...convFilters.params];
  const dimSelect = dims.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`);
  const value = conversions.value === undefined ? '0' : `c.${ident(conversions.value)}`;
  const sql = `WITH arms AS (
  SELECT DISTINCT ${personExpression(template, assignment.dataset, 'x')} AS person,
         CASE x.${ident(assignment.column)} WHEN ? THEN 'exposed' WHEN ? THEN 'holdout' END AS arm${dimSelect.map((d) => `, ${d}`).join('')}
  FROM ${ident(assignment.dataset)} x
  ${where([`x.${ident(assignment.column)} IN (?, ?)`, ...assignFilters.conditions])}
),
conv AS (
  SELECT m.${ident(matchColumn(assignment.dataset))} AS person, count(*) AS conversions, sum(${value}) AS revenue
  FROM ${ident(conversions.dataset)} c
  JOIN ${ident(matchTable(assignment.dataset, conversions.dataset))} m ON m.${ident(matchColumn(conversions.dataset))} = ${personExpression(template, conversions.dataset, 'c')}
  ${where(convFilters.conditions)}
  GROUP BY 1
),
per AS (
  SELECT arms.*, coalesce(conv.conversions, 0) AS conversions, coalesce(conv.revenue, 0) AS revenue
  FROM arms LEFT JOIN conv ON conv.person = arms.person
)
SELECT arm${dims.map((d) => `, ${ident(d.ref)}`).join('')}, count(*) AS people, count(*) FILTER (WHERE conversions > 0) AS converters,
       sum(conversions) AS conversions, sum(revenue)::DOUBLE AS revenue, sum(revenue * revenue)::DOUBLE AS revenue_squares${sketch === undefined ? '' : `, ${sketchSelect('person', sketch)}`}
FROM per GROUP BY ALL ORDER BY ALL`;
  return {
    sql,
    params: bound,
    shape: { dimensions: ['arm', ...dims.map((d) => d.ref)], people: 'people', counts: ['converters', 'conversions'], values: ['revenue', 'revenue_squares'], partition: false },
  };
}

/** One group's lift: both arms and the statistics. */
export interface LiftGroup {
  group: Record<string, Cell>;
  exposed: { people: number; converters: number; conversions: number; revenue: number };
  holdout: { people: number; converters: number; conversions: number; revenue: number };
  statistics: LiftStatistics;
}

/**
 * Pairs the exposed and holdout rows of each group and computes the lift statistics.
 * Groups missing an arm are left out. The rows must already have passed the guard's
 * per-row minimum; the privacy guard `guardLift` adds the converters rule.
 *
 * @example
 * ```ts
 * const groups = liftGroups(rows, ['exposures.region']);
 * groups[0]?.statistics.relativeLift; // { value: 0.12, ci95: [0.03, 0.21] }
 * ```
 */
export function liftGroups(rows: readonly Record<string, Cell>[], dimensions: readonly string[]): LiftGroup[] {
  const out: LiftGroup[] = [];
  for (const { group, exposed, holdout } of pairArms(rows, dimensions)) {
    const arm = (r: Record<string, Cell>) => ({
      people: Number(r.people),
      converters: Number(r.converters),
      conversions: Number(r.conversions),
      revenue: Number(r.revenue),
      revenueSquares: Number(r.revenue_squares),
    });
    const e = arm(exposed);
    const h = arm(holdout);
    out.push({
      group,
      exposed: { people: e.people, converters: e.converters, conversions: e.conversions, revenue: e.revenue },
      holdout: { people: h.people, converters: h.converters, conversions: h.conversions, revenue: h.revenue },
      statistics: liftStatistics(e, h),
    });
  }
  return out;
}

/**
 * The exposed and the holdout row of each group (rows with the same `dimensions` values);
 * groups missing an arm are left out.
 *
 * @example
 * ```ts
 * pairArms(rows, []); // [{ group: {}, exposed: { arm: 'exposed', ... }, holdout: { arm: 'holdout', ... } }]
 * ```
 */
export function pairArms(
  rows: readonly Record<string, Cell>[],
  dimensions: readonly string[],
): { group: Record<string, Cell>; exposed: Record<string, Cell>; holdout: Record<string, Cell> }[] {
  const groups = new Map<string, { group: Record<string, Cell>; exposed?: Record<string, Cell>; holdout?: Record<string, Cell> }>();
  for (const row of rows) {
    const group: Record<string, Cell> = {};
    for (const d of dimensions) group[d] = row[d] ?? null;
    const key = JSON.stringify(group);
    const entry = groups.get(key) ?? { group };
    if (row.arm === 'exposed') entry.exposed = row;
    else if (row.arm === 'holdout') entry.holdout = row;
    groups.set(key, entry);
  }
  return [...groups.values()].flatMap(({ group, exposed, holdout }) => (exposed === undefined || holdout === undefined ? [] : [{ group, exposed, holdout }]));
}
