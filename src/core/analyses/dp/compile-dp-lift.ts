import type { Cell, SqlParam } from '../../engine-port.js';
import type { LiftAnalysis, ParamValue, Template } from '../../template/index.js';
import { ident, matchColumn, matchTable, personExpression } from '../../room-schema/room-sql.js';
import { filterConditions, groupByRefs, where } from '../plan-parts.js';
import type { DpTablePlan } from './compile-dp-aggregate.js';
import { publicGroupsOf } from './public-groups.js';
import { integerLiteral } from './bounded-groups-sql.js';
import { personTotalSql, stepsSql } from './steps-sql.js';

/**
 * Lift under differential privacy: the same arms as `compileLift` (every assigned person of
 * the assignment dataset, matched or not, in the exposed or the holdout arm, per group-by
 * value), with each person's contribution bounded before anything is added up:
 *
 * - at most k (arm, group) rows per person, chosen by a hash keyed with the run's seed;
 * - at most m of the person's conversions, chosen the same way, each value clamped to the
 *   declared range and counted in whole resolution steps ({@link stepsSql}).
 *
 * Per row: `people` (sensitivity k), `converters` (people with a kept conversion: k),
 * `conversions` (k·m) and, when the conversions have a value, `revenue` (k·m·the range's
 * larger bound). Arms are public (`exposed`, `holdout`); group-by values are too when
 * declared, else the rows pass DP partition selection. The lift statistics are computed from
 * the noisy rows afterwards ({@link noisyLiftGroups}).
 *
 * @example
 * ```ts
 * const plan = compileDpLift(template, 'lift', { converted_from: '2026-04-01', converted_to: '2026-04-30' }, seed);
 * ```
 */
export function compileDpLift(
  template: Template,
  analysisName: string,
  params: Readonly<Record<string, ParamValue | undefined>>,
  seed: string,
): DpTablePlan & {
  transform: (rows: readonly Record<string, Cell>[]) => Record<string, Cell>[];
  /** The width of the range one person's revenue in one row can take: m × the value range's, or the cap's when narrower. */
  revenueWidth: number;
} {
  const analysis = template.analyses[analysisName] as LiftAnalysis;
  const dp = analysis.dp!;
  const { assignment, conversions } = analysis;
  const k = dp.maxGroupsPerPerson;
  const m = dp.maxRowsPerGroup;
  const dims = groupByRefs(params).filter((d) => d.dataset === assignment.dataset);
  const assignFilters = filterConditions(analysis, params, assignment.dataset, 'x');
  const convFilters = filterConditions(analysis, params, conversions.dataset, 'c');
  const valueColumn = conversions.value === undefined ? undefined : template.datasets[conversions.dataset]!.columns[conversions.value]!;
  const revenueRange = valueColumn?.range === undefined ? null : { min: valueColumn.range[0], max: valueColumn.range[1] };
  const steps =
    valueColumn === undefined || revenueRange === null
      ? '0'
      : stepsSql(`c.${ident(conversions.value!)}`, { type: valueColumn.type === 'integer' ? 'integer' : 'decimal', range: revenueRange, resolution: dp.resolution });
  const total = conversions.value === undefined ? undefined : dp.personTotals?.[`${conversions.dataset}.${conversions.value}`];
  const personTotal = total === undefined ? undefined : { min: total[0], max: total[1] };
  // A person's revenue (their kept conversions) clamped to the template's cap.
  const capped = (sum: string): string => (personTotal === undefined ? sum : personTotalSql(sum, personTotal, dp.resolution));
  const dimSelect = dims.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`);
  const dimNames = dims.map((d) => ident(d.ref));
  const assignedPerson = ident(matchColumn(assignment.dataset));
  const dimList = dimNames.map((d) => `, ${d}`).join('');
  const K = integerLiteral(k, 'maxGroupsPerPerson');
  const M = integerLiteral(m, 'maxRowsPerGroup');
  // Placeholders in the order they appear in the text.
  const bound: SqlParam[] = [assignment.exposed, assignment.holdout, assignment.exposed, assignment.holdout, ...assignFilters.params, seed, ...convFilters.params, seed];
  // Rank only where a bound binds: people in more than k rows, people with more than m
  // conversions. Everyone else keeps all (what any choice keeps); the ranked ones keep what
  // ranking everyone by the same keyed hashes keeps.
  const sql = `WITH arms AS (
  SELECT DISTINCT ${personExpression(template, assignment.dataset, 'x')} AS person,
         CASE x.${ident(assignment.column)} WHEN ? THEN 'exposed' WHEN ? THEN 'holdout' END AS arm${dimSelect.map((d) => `, ${d}`).join('')}
  FROM ${ident(assignment.dataset)} x
  ${where([`x.${ident(assignment.column)} IN (?, ?)`, ...assignFilters.conditions])}
),
over_k AS (SELECT person FROM arms GROUP BY person HAVING count(*) > ${K}),
kept_arms AS (
  SELECT a.* FROM arms a ANTI JOIN over_k o ON a.person = o.person
  UNION ALL
  SELECT * EXCLUDE (__group_rank) FROM (
    SELECT a.*, row_number() OVER (PARTITION BY a.person ORDER BY hash(?, a.person, a.arm${dimNames.map((d) => `, a.${d}`).join('')})) AS __group_rank
    FROM arms a SEMI JOIN over_k o ON a.person = o.person
  ) WHERE __group_rank <= ${K}
),
conv_src AS (
  SELECT m.${assignedPerson} AS person, c.${ident(conversions.timestamp)} AS __ts, ${steps} AS steps
  FROM ${ident(conversions.dataset)} c
  JOIN ${ident(matchTable(assignment.dataset, conversions.dataset))} m ON m.${ident(matchColumn(conversions.dataset))} = ${personExpression(template, conversions.dataset, 'c')}
  ${where(convFilters.conditions)}
),
conv_all AS (SELECT person, count(*) AS n, sum(steps) AS s FROM conv_src GROUP BY person),
conv_top AS (
  SELECT person, count(*) AS n, sum(steps) AS s FROM (
    SELECT c.*, row_number() OVER (PARTITION BY c.person ORDER BY hash(?, c.person, c.__ts, c.steps)) AS __row_rank
    FROM conv_src c SEMI JOIN (SELECT person FROM conv_all WHERE n > ${M}) o ON c.person = o.person
  ) WHERE __row_rank <= ${M} GROUP BY person
),
conv AS (
  SELECT a.person, CASE WHEN t.person IS NULL THEN a.n ELSE t.n END AS conversions, ${capped('CASE WHEN t.person IS NULL THEN a.s ELSE t.s END')} AS revenue_steps
  FROM conv_all a LEFT JOIN conv_top t ON a.person = t.person
),
per AS (
  SELECT a.arm${dimNames.map((d) => `, a.${d}`).join('')}, coalesce(conv.conversions, 0) AS conversions, coalesce(conv.revenue_steps, 0) AS revenue_steps
  FROM kept_arms a LEFT JOIN conv ON conv.person = a.person
)
SELECT arm${dimList}, count(*) AS people, count(*) FILTER (WHERE conversions > 0) AS converters,
       sum(conversions) AS conversions, sum(revenue_steps) AS revenue_steps
FROM per GROUP BY ALL`;
  const names = ['arm', ...dims.map((d) => d.ref)];
  const publicGroups = publicGroupsOf(template, dims, { arm: ['exposed', 'holdout'] });
  return {
    sql,
    params: bound,
    selects: publicGroups === undefined,
    revenueWidth:
      revenueRange === null ? 0 : Math.min(m * (revenueRange.max - revenueRange.min), personTotal === undefined ? Infinity : personTotal.max - personTotal.min),
    spec: {
      dimensions: names,
      ...(publicGroups === undefined ? {} : { publicGroups }),
      people: 'people',
      counts: [
        { column: 'converters', maxRowsPerGroup: 1 },
        { column: 'conversions', maxRowsPerGroup: m },
      ],
      sums:
        revenueRange === null
          ? []
          : [{ column: 'revenue', stepsColumn: '__steps_revenue', range: revenueRange, resolution: dp.resolution, maxRowsPerGroup: m, ...(personTotal === undefined ? {} : { personTotal }) }],
      means: [],
      maxGroupsPerPerson: k,
      mechanism: template.privacy.dp!.mechanism,
    },
    transform: (rows) =>
      rows.map((row) => {
        const out: Record<string, Cell> = { people: row.people ?? 0, converters: row.converters ?? 0, conversions: row.conversions ?? 0 };
        if (revenueRange !== null) out.__steps_revenue = row.revenue_steps ?? 0;
        for (const name of names) out[name] = row[name] ?? null;
        return out;
      }),
  };
}

