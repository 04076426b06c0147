import type { SqlParam } from '../engine-port.js';
import type { AggregateAnalysis, ParamValue, Template } from '../template/index.js';
import { ident, matchColumn, matchTable, personExpression } from '../room-schema/room-sql.js';
import type { CompiledAnalysis } from './compiled-analysis.js';
import type { SketchSettings } from '../privacy/difference/population-sketch.js';
import { sketchSelect } from '../privacy/difference/population-sketch.js';

import { analysisPair, columnRef, filterConditions, groupByRefs, where } from './plan-parts.js';

/**
 * Aggregate: distinct matched people, and for each declared measure its sum and its mean
 * per person, grouped by the chosen dimensions of either side and filtered by the filter
 * parameters. Segment sizing, overlap by segment and affiliate revenue are templates of
 * it.
 *
 * Each side is first reduced to one row per (person, that side's dimensions) with its
 * measures summed, and only then joined through the match: so a person's revenue is never
 * multiplied by the number of rows the other side holds for them.
 *
 * @example
 * ```ts
 * const compiled = compileAggregate(template, 'revenue_by_affiliate', { group_by: ['referrals.affiliate_id'] });
 * ```
 */
export function compileAggregate(template: Template, analysisName: string, params: Readonly<Record<string, ParamValue | undefined>>, sketch?: SketchSettings): CompiledAnalysis {
  const analysis = template.analyses[analysisName] as AggregateAnalysis;
  const [a, b] = analysisPair(template, analysis);
  const dims = groupByRefs(params);
  const measures = analysis.measures.map(columnRef);
  const bound: SqlParam[] = [];
  const ctes = [`m AS (SELECT ${ident(matchColumn(a))} AS pa, ${ident(matchColumn(b))} AS pb FROM ${ident(matchTable(a, b))})`];
  const joins: string[] = [];
  for (const [side, dataset] of [['pa', a], ['pb', b]] as const) {
    const myDims = dims.filter((d) => d.dataset === dataset);
    const myMeasures = measures.filter((d) => d.dataset === dataset);
    const filters = filterConditions(analysis, params, dataset, 'x');
    const alias = `s_${side}`;
    const select = [
      `${personExpression(template, dataset, 'x')} AS person`,
      ...myDims.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`),
      ...myMeasures.map((d) => `sum(x.${ident(d.column)}) AS ${ident(d.ref)}`),
    ];
    ctes.push(`${alias} AS (SELECT ${select.join(', ')} FROM ${ident(dataset)} x ${where(filters.conditions)} GROUP BY ALL)`);
    bound.push(...filters.params);
    joins.push(`JOIN ${alias} ON ${alias}.person = m.${side}`);
  }
  const valueColumns = measures.flatMap((d) => [`${d.ref}.sum`, `${d.ref}.mean`]);
  const select = [
    ...dims.map((d) => ident(d.ref)),
    'count(DISTINCT m.pa) AS people',
    ...measures.flatMap((d) => [`sum(${ident(d.ref)}) AS ${ident(`${d.ref}.sum`)}`, `sum(${ident(d.ref)}) / count(DISTINCT m.pa) AS ${ident(`${d.ref}.mean`)}`]),
    ...(sketch === undefined ? [] : [sketchSelect('m.pa', sketch)]),
  ];
  return {
    sql: `WITH ${ctes.join(',\n')}\nSELECT ${select.join(', ')}\nFROM m ${joins.join(' ')}\n${dims.length > 0 ? 'GROUP BY ALL\nORDER BY ALL' : ''}`,
    params: bound,
    // Dimensions of a one-row-per-person dataset split its people; with several rows per
    // person they may overlap. The guard treats both as a partition: more suppression, never less.
    shape: { dimensions: dims.map((d) => d.ref), people: 'people', counts: [], values: valueColumns, partition: dims.length > 0 },
  };
}
