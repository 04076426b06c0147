import type { Cell } from '../../engine-port.js';
import type { LiftAnalysis, ParamValue, Template } from '../../template/index.js';
import { ident, matchColumn, matchTable, personExpression } from '../../room-schema/room-sql.js';
import { filterConditions, groupByRefs, where } from '../plan-parts.js';
import type { DpTablePlan } from './compile-dp-aggregate.js';
import { publicGroupsOf } from './public-groups.js';
import { boundingSql } from './bounding/bounding-sql.js';
import { stepsSql } from './bounding/steps-sql.js';

/**
 * Lift under differential privacy: the same arms as `compileLift` (every assigned person of
 * the assignment dataset, matched or not, in the exposed or the holdout arm, per group-by
 * value), with each person's contribution bounded before anything is added up:
 *
 * - at most k (arm, group) rows per person, chosen by a hash keyed with the run's seed;
 * - at most m of the person's conversions, chosen the same way, each value clamped to the
 *   declared range and counted in whole resolution steps ({@link stepsSql}), each person's
 *   revenue clamped to `dp.personTotals` when the template caps it;
 *
 * by {@link boundingSql}, around two inner SELECTs: the arms, and the matched conversions.
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
  const dimSelect = dims.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`);
  // The arms: every assigned person (matched or not) in each of their (arm, group) rows.
  const arms = `SELECT ${personExpression(template, assignment.dataset, 'x')} AS person, CASE x.${ident(assignment.column)} WHEN ? THEN 'exposed' WHEN ? THEN 'holdout' END AS arm${dimSelect.map((d) => `, ${d}`).join('')} FROM ${ident(assignment.dataset)} x ${where([`x.${ident(assignment.column)} IN (?, ?)`, ...assignFilters.conditions])}`;
  // The conversions of matched people, on the assigned person: m per person, whatever their arms.
  const convs = `SELECT m.${ident(matchColumn(assignment.dataset))} AS person, c.${ident(conversions.timestamp)} AS __ts, ${steps} AS steps FROM ${ident(conversions.dataset)} c JOIN ${ident(matchTable(assignment.dataset, conversions.dataset))} m ON m.${ident(matchColumn(conversions.dataset))} = ${personExpression(template, conversions.dataset, 'c')} ${where(convFilters.conditions)}`;
  const { sql, params: bound } = boundingSql({
    people: 'first side',
    sides: [
      { dataset: assignment.dataset, rows: { sql: arms, params: [assignment.exposed, assignment.holdout, assignment.exposed, assignment.holdout, ...assignFilters.params] }, keys: ['arm', ...dims.map((d) => ident(d.ref))], values: [], keep: 'rows' },
      {
        dataset: conversions.dataset,
        rows: { sql: convs, params: convFilters.params },
        keys: [],
        values: revenueRange === null ? [] : [{ column: 'steps', output: 'revenue_steps', resolution: dp.resolution, ...(personTotal === undefined ? {} : { personTotal }) }],
        keep: 'rows',
        order: ['__ts', 'steps'],
        counts: { rows: 'conversions', people: 'converters' },
      },
    ],
    byMatchKey: false,
    maxGroupsPerPerson: k,
    maxRowsPerGroup: m,
    seed,
  });
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

