import type { Cell } from '../../engine-port.js';
import type { AttributionAnalysis, ParamValue, Template } from '../../template/index.js';
import { attributionPairs } from '../attribution.js';
import { boundingSql } from './bounding/bounding-sql.js';
import { stepsSql } from './bounding/steps-sql.js';
import type { DpTablePlan } from './compile-dp-aggregate.js';
import { publicGroupsOf } from './public-groups.js';

/**
 * Attribution under differential privacy. The credited touches of the model (last touch,
 * first touch, or even split: `attributionPairs`) are bounded per matched person before they
 * are added up — at most k groups (campaign × group-by values) per person, at most m credited
 * touches per person in each group, each credit in [0, 1] and each credited value clamped to
 * the conversion value's declared range (and each person's revenue in a group to
 * `dp.personTotals`, when the template caps it), both in whole resolution steps — by the same
 * builder as aggregate, overlap and lift ({@link boundingSql}, one side whose rows are the
 * credited touches, kept as rows). Per group: noisy `people` (the converters),
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
  const credit = { type: 'number' as const, range: { min: 0, max: 1 }, resolution: dp.resolution };
  const value = { type: 'number' as const, range: { min, max }, resolution: dp.resolution };
  // A missing credited value counts as the range's low end, as it always has (from 0 it adds nothing).
  const keys = pairs.groupAliases.map((_, i) => `__g${i}`);
  const rows = `${pairs.ctes}
SELECT person${pairs.groupAliases.map((alias, i) => `, ${alias} AS __g${i}`).join('')}, ${stepsSql('credit', credit, { missing: 'low end' })} AS __v0, ${stepsSql('credited_value', value, { missing: 'low end' })} AS __v1 FROM (${pairs.credited})`;
  const k = dp.maxGroupsPerPerson;
  const m = dp.maxRowsPerGroup;
  const { sql, params: bound } = boundingSql({
    people: 'first side',
    sides: [
      {
        dataset: analysis.conversions.dataset,
        rows: { sql: rows, params: pairs.params },
        keys,
        values: [
          { column: '__v0', output: 's0', resolution: dp.resolution },
          { column: '__v1', output: 's1', resolution: dp.resolution, ...(total === undefined ? {} : { personTotal: { min: total[0], max: total[1] } }) },
        ],
        // m credited touches per person in a group, each keeping its credit and its value together.
        keep: 'rows',
      },
    ],
    byMatchKey: false,
    maxGroupsPerPerson: k,
    maxRowsPerGroup: m,
    seed,
  });
  const stats = [
    { name: 'conversions', range: [0, 1] as [number, number] },
    { name: 'revenue', range: [min, max] as [number, number], ...(total === undefined ? {} : { personTotal: [total[0], total[1]] as [number, number] }) },
  ];
  const campaignValues = template.datasets[analysis.exposures.dataset]!.columns[analysis.exposures.campaign]!.allowedValues;
  const publicGroups = campaignValues === undefined ? undefined : publicGroupsOf(template, pairs.groups.map((g) => ({ ...g, ref: `${g.dataset}.${g.column}` })), { campaign: [...campaignValues] });
  return {
    sql,
    params: bound,
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
        pairs.names.forEach((name, i) => (out[name] = row[keys[i]!] ?? null));
        return out;
      }),
  };
}
