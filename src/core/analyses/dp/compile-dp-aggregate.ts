import type { SqlParam } from '../../engine-port.js';
import type { NoisyTableSpec } from '../../privacy/dp/release-table.js';
import type { AggregateAnalysis, ParamValue, Template } from '../../template/index.js';
import { analysisPair, columnRef, filterConditions, groupByRefs } from '../plan-parts.js';
import { boundingSql } from './bounding/bounding-sql.js';
import { boundingSide, type DatasetSide } from './dataset-side.js';
import { publicGroupsOf } from './public-groups.js';

/**
 * A DP table of a run: the SELECT of its bounded true aggregates per group and what
 * {@link releaseNoisyTable} releases from them (all but the budget, which the run splits).
 *
 * @example
 * ```ts
 * const table: DpTablePlan = compileDpAggregate(template, 'spend_by_segment', params, seed);
 * releaseNoisyTable((await room.query(table.sql, table.params)).rows, { ...table.spec, budget }, rng);
 * ```
 */
export interface DpTablePlan {
  sql: string;
  params: SqlParam[];
  spec: Omit<NoisyTableSpec, 'budget'>;
  /** True when its groups pass partition selection in this run (private keys). */
  selects: boolean;
}

/**
 * Aggregate under differential privacy: the same people, sums and means per person as
 * `compileAggregate`, from contribution-bounded SQL ({@link boundingSql}: k groups
 * per matched person, m rows per person and group, each measure clamped to its declared
 * range in whole resolution steps). The noisy table has `people` and, per measure,
 * `<measure>.sum` (noisy) and `<measure>.mean` (noisy sum ÷ noisy people).
 *
 * @example
 * ```ts
 * const plan = compileDpAggregate(template, 'spend_by_segment', { group_by: ['readers.segment'] }, seed);
 * ```
 */
export function compileDpAggregate(template: Template, analysisName: string, params: Readonly<Record<string, ParamValue | undefined>>, seed: string): DpTablePlan {
  const analysis = template.analyses[analysisName] as AggregateAnalysis;
  const dp = analysis.dp!;
  const pair = analysisPair(template, analysis);
  const dims = groupByRefs(params);
  const measures = analysis.measures.map(columnRef).map((ref) => {
    const column = template.datasets[ref.dataset]!.columns[ref.column]!;
    const [min, max] = column.range!;
    const total = dp.personTotals?.[ref.ref];
    return {
      ref,
      type: column.type === 'integer' ? ('integer' as const) : ('decimal' as const),
      range: { min, max },
      resolution: dp.resolution,
      ...(total === undefined ? {} : { personTotal: { min: total[0], max: total[1] } }),
    };
  });
  const sides: DatasetSide[] = pair.map((dataset) => ({
    dataset,
    dimensions: dims.filter((d) => d.dataset === dataset),
    measures: measures.filter((measure) => measure.ref.dataset === dataset),
    filters: filterConditions(analysis, params, dataset, 'x'),
  }));
  const { sql, params: bound } = boundingSql({
    people: { matched: pair },
    sides: sides.map((side) => boundingSide(template, side)),
    byMatchKey: false,
    maxGroupsPerPerson: dp.maxGroupsPerPerson,
    maxRowsPerGroup: dp.maxRowsPerGroup,
    seed,
  });
  const publicGroups = dims.length === 0 ? undefined : publicGroupsOf(template, dims);
  return {
    sql,
    params: bound,
    selects: dims.length > 0 && publicGroups === undefined,
    spec: {
      dimensions: dims.map((d) => d.ref),
      ...(publicGroups === undefined ? {} : { publicGroups }),
      people: 'people',
      counts: [],
      sums: measures.map((measure) => ({
        column: `${measure.ref.ref}.sum`,
        stepsColumn: `${measure.ref.ref}.steps`,
        range: measure.range,
        resolution: measure.resolution,
        maxRowsPerGroup: dp.maxRowsPerGroup,
        ...(measure.personTotal === undefined ? {} : { personTotal: measure.personTotal }),
      })),
      means: measures.map((measure) => ({ column: `${measure.ref.ref}.mean`, sum: `${measure.ref.ref}.sum`, count: 'people' })),
      maxGroupsPerPerson: dp.maxGroupsPerPerson,
      mechanism: template.privacy.dp!.mechanism,
    },
  };
}
