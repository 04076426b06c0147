import type { Cell } from '../../engine-port.js';
import type { ParamValue, Template } from '../../template/index.js';
import { compileOverlap } from '../overlap.js';
import { matchLevelNames } from '../../room-schema/room-sql.js';
import { analysisPair, groupByRefs } from '../plan-parts.js';
import { boundingSql } from './bounding/bounding-sql.js';
import { boundingSide } from './dataset-side.js';
import type { DpTablePlan } from './compile-dp-aggregate.js';
import { publicGroupsOf } from './public-groups.js';

/**
 * The DP overlap run's tables, each with the transform its rows need before release.
 *
 * @example
 * ```ts
 * const { overall, byKey, populations }: DpOverlapPlan = compileDpOverlap(template, 'overlap', {}, seed);
 * ```
 */
export interface DpOverlapPlan {
  overall: DpTablePlan;
  byKey: DpTablePlan & { transform: (rows: readonly Record<string, Cell>[]) => Record<string, Cell>[] };
  populations: DpTablePlan;
}

/**
 * Overlap under differential privacy: matched people overall and per match key (optionally
 * by dimensions, each person bounded to k groups in keyed-hash order), and each side's
 * population. Populations are counted per person of each dataset; one person may be in both,
 * so that table's sensitivity is 2 (k = 2 over its two public rows). The shares of each side
 * are derived after release (noisy people ÷ noisy population), at no extra cost.
 *
 * @example
 * ```ts
 * const { overall, byKey, populations } = compileDpOverlap(template, 'overlap', {}, seed);
 * ```
 */
export function compileDpOverlap(template: Template, analysisName: string, params: Readonly<Record<string, ParamValue | undefined>>, seed: string): DpOverlapPlan {
  const analysis = template.analyses[analysisName]!;
  const dp = analysis.dp!;
  const mechanism = template.privacy.dp!.mechanism;
  const pair = analysisPair(template, analysis);
  const dims = groupByRefs(params);
  const sides = pair
    .map((dataset) => boundingSide(template, { dataset, dimensions: dims.filter((d) => d.dataset === dataset), measures: [], filters: { conditions: [], params: [] } }))
    .filter((side) => side.keys.length > 0);
  const bounds = { people: { matched: pair }, sides, maxGroupsPerPerson: dp.maxGroupsPerPerson, maxRowsPerGroup: 1, seed };
  const keyNames = matchLevelNames(template);
  const base = { people: 'people', counts: [], sums: [], means: [], maxGroupsPerPerson: dp.maxGroupsPerPerson, mechanism };

  const overallGroups = dims.length === 0 ? undefined : publicGroupsOf(template, dims);
  const overall: DpTablePlan = {
    ...boundingSql({ ...bounds, byMatchKey: false }),
    selects: dims.length > 0 && overallGroups === undefined,
    spec: { ...base, dimensions: dims.map((d) => d.ref), ...(overallGroups === undefined ? {} : { publicGroups: overallGroups }) },
  };
  const keyGroups = publicGroupsOf(template, dims, { key: keyNames });
  const byKey: DpOverlapPlan['byKey'] = {
    ...boundingSql({ ...bounds, byMatchKey: true }),
    selects: keyGroups === undefined,
    spec: { ...base, dimensions: ['key', ...dims.map((d) => d.ref)], ...(keyGroups === undefined ? {} : { publicGroups: keyGroups }) },
    transform: (rows) => rows.map((row) => ({ ...row, key: keyNames[Number(row.key)] ?? String(row.key) })),
  };
  const counted = compileOverlap(template, analysisName, {}).populations;
  const populations: DpTablePlan = {
    sql: counted.sql,
    params: counted.params,
    selects: false,
    spec: { ...base, dimensions: ['dataset'], publicGroups: { dataset: [...pair] }, maxGroupsPerPerson: 2 },
  };
  return { overall, byKey, populations };
}
