import type { SqlParam } from '../../engine-port.js';
import type { ValueRange } from '../../privacy/dp/contribution-bounds.js';
import { ident, personExpression } from '../../room-schema/room-sql.js';
import type { Template } from '../../template/index.js';
import type { ColumnRef } from '../plan-parts.js';
import type { BoundingSide } from './bounding/bounding-plan.js';
import { stepsSql, type SummedColumn } from './bounding/steps-sql.js';

/**
 * One dataset's part of a bounded aggregate or overlap: its group keys, summed measures and
 * row filters.
 *
 * @example
 * ```ts
 * const side: DatasetSide = { dataset: 'readers', dimensions: [columnRef('readers.segment')], measures: [], filters: { conditions: [], params: [] } };
 * ```
 */
export interface DatasetSide {
  dataset: string;
  dimensions: ColumnRef[];
  /**
   * Summed columns: `type` is the template's (the room stores decimals as DECIMAL(18, 6),
   * integers as BIGINT); `personTotal`, when set, clamps each person's total in a group.
   */
  measures: ({ ref: ColumnRef; personTotal?: ValueRange } & SummedColumn)[];
  /** WHERE conditions on the dataset's rows (alias `x`) and their bound values. */
  filters: { conditions: string[]; params: SqlParam[] };
}

/**
 * The inner SELECT of one dataset's rows for `boundingSql`: each row's person, its group
 * keys (`"<dataset.column>"`) and each measure clamped to its range in whole resolution
 * steps (`stepsSql`), of the rows the filters keep; a pair above m keeps each measure's m
 * values of smallest `hash(seed, person, <steps>)`.
 *
 * @example
 * ```ts
 * boundingSide(template, { dataset: 'purchases', dimensions: [], measures: [amount], filters }).rows.sql;
 * // SELECT … AS person, CAST(round(…) AS BIGINT) AS "purchases.amount" FROM "purchases" x WHERE …
 * ```
 */
export function boundingSide(template: Template, side: DatasetSide): BoundingSide {
  const { dataset, dimensions, measures, filters } = side;
  const select = [
    `${personExpression(template, dataset, 'x')} AS person`,
    ...dimensions.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`),
    ...measures.map((measure) => `${stepsSql(`x.${ident(measure.ref.column)}`, measure)} AS ${ident(measure.ref.ref)}`),
  ];
  const where = filters.conditions.length === 0 ? '' : ` WHERE ${filters.conditions.join(' AND ')}`;
  return {
    dataset,
    rows: { sql: `SELECT ${select.join(', ')} FROM ${ident(dataset)} x${where}`, params: filters.params },
    keys: dimensions.map((d) => ident(d.ref)),
    values: measures.map((measure) => ({
      column: ident(measure.ref.ref),
      output: ident(`${measure.ref.ref}.steps`),
      resolution: measure.resolution,
      ...(measure.personTotal === undefined ? {} : { personTotal: measure.personTotal }),
    })),
    keep: 'values',
  };
}
