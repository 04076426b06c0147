import type { Cell } from '../../engine-port.js';
import type { AttributionAnalysis, ParamValue, Template } from '../../template/index.js';
import { attributionPairs } from '../attribution.js';
import { boundedRowsSql, type Stat } from './bounding/bounded-rows-sql.js';
import type { DpTablePlan } from './compile-dp-aggregate.js';
import { publicGroupsOf } from './public-groups.js';

/**
 * Attribution under differential privacy. The credited touches of the model (last touch,
 * first touch, or even split: `attributionPairs`) are bounded per matched person before they
 * are added up — at most k groups (campaign × group-by values) per person, at most m credited
 * touches per person in each group, each credit in [0, 1] and each credited value clamped to
 * the conversion value's declared range (and each person's revenue in a group to
 * `dp.personTotals`, when the template caps it), both in whole resolution steps — by the same SQL as
 * custom SQL under DP ({@link boundedRowsSql}). Per group: noisy `people` (the converters),
 * noisy `conversions` (sum of credits) and noisy `revenue` (sum of credited values);
 * `converters` repeats `people`, as without DP.
 *
 * Groups whose keys are all public (a campaign column and group-by columns with declared
 * `allowedValues`) are all released, empty ones as noisy zeros; otherwise they pass DP
 * partition selection (`selects`).
 *
 * @example
 * ```ts
 * const plan = compileDpAttribution(template, 'attribution', { model: 'last_touch', lookback_days: 30, group_by: [] }, seed);
 * releaseNoisyTable(plan.transform((await room.query(plan.sql, plan.params)).rows), { ...plan.spec, budget }, rng);
 * ```
 */
export function compileDpAttribution(
  template: Template,
  analysisName: string,
  params: Readonly<Record<string, ParamValue | undefined>>,
  seed: string,
): DpTablePlan & { transform: (rows: readonly Record<string, Cell>[]) => Record<string, Cell>[] } {
  const analysis = template.analyses[analysisName] as AttributionAnalysis;
  const dp = analysis.dp!;
  const pairs = attributionPairs(template, analysisName, params as Record<string, unknown>);
  const valueColumn = template.datasets[analysis.conversions.dataset]!.columns[analysis.conversions.value]!;
  const [min, max] = valueColumn.range!;
  const total = dp.personTotals?.[`${analysis.conversions.dataset}.${analysis.conversions.value}`];
  const inner = `${pairs.ctes}
SELECT ${pairs.groupAliases.map((alias, i) => `${alias} AS __g${i}`).join(', ')}, CAST(person AS VARCHAR) AS __pid, credit AS __v0, credited_value AS __v1 FROM (${pairs.credited})`;
  const stats: Stat[] = [
    { name: 'conversions', kind: 'sum', value: 0, range: [0, 1], shape: 'credit' },
    { name: 'revenue', kind: 'sum', value: 1, range: [min, max], shape: 'credited_value', ...(total === undefined ? {} : { personTotal: [total[0], total[1]] as [number, number] }) },
  ];
  const k = dp.maxGroupsPerPerson;
  const m = dp.maxRowsPerGroup;
  const sql = boundedRowsSql(inner, seed, { groups: pairs.groupAliases.length, values: 2, stats, k, m, resolution: dp.resolution });
  const campaignValues = template.datasets[analysis.exposures.dataset]!.columns[analysis.exposures.campaign]!.allowedValues;
  const publicGroups = campaignValues === undefined ? undefined : publicGroupsOf(template, pairs.groups.map((g) => ({ ...g, ref: `${g.dataset}.${g.column}` })), { campaign: [...campaignValues] });
  return {
    sql,
    params: pairs.params,
    selects: publicGroups === undefined,
    spec: {
      dimensions: pairs.names,
      ...(publicGroups === undefined ? {} : { publicGroups }),
      people: 'people',
      counts: [],
      sums: stats.map((s) => {
        const { range, personTotal } = s as { range: [number, number]; personTotal?: [number, number] };
        return {
          column: s.name,
          stepsColumn: `__steps_${s.name}`,
          range: { min: range[0], max: range[1] },
          resolution: dp.resolution,
          maxRowsPerGroup: m,
          ...(personTotal === undefined ? {} : { personTotal: { min: personTotal[0], max: personTotal[1] } }),
        };
      }),
      means: [],
      maxGroupsPerPerson: k,
      mechanism: template.privacy.dp!.mechanism,
    },
    transform: (rows) =>
      rows.map((row) => {
        const out: Record<string, Cell> = { people: row.people ?? 0, __steps_conversions: row.s0 ?? 0, __steps_revenue: row.s1 ?? 0 };
        pairs.names.forEach((name, i) => (out[name] = row[`g${i}`] ?? null));
        return out;
      }),
  };
}
