import type { SqlParam } from '../engine-port.js';
import type { AnalysisSpec, ParamValue, Template } from '../template/index.js';
import { ident } from '../room-schema/room-sql.js';

/** A `dataset.column` reference split in two. */
export interface ColumnRef {
  dataset: string;
  column: string;
  /** The reference as written, also the output column's name. */
  ref: string;
}

/**
 * Splits `dataset.column`.
 *
 * @example
 * ```ts
 * columnRef('transactions.store'); // { dataset: 'transactions', column: 'store', ref: 'transactions.store' }
 * ```
 */
export function columnRef(ref: string): ColumnRef {
  const dot = ref.indexOf('.');
  return { dataset: ref.slice(0, dot), column: ref.slice(dot + 1), ref };
}

/** The `group_by` parameter's references (validated against the template's allowed values). */
export function groupByRefs(params: Readonly<Record<string, ParamValue | undefined>>): ColumnRef[] {
  const value = params.group_by;
  return Array.isArray(value) ? value.map(columnRef) : [];
}

/**
 * WHERE conditions, with their bound values, of every filter parameter that was given and
 * targets `dataset`. Values are only ever bound; names come from the validated template.
 * Date parameters compare by calendar day, so `to: 2026-03-31` includes that whole day.
 *
 * @example
 * ```ts
 * filterConditions(template.analyses.attribution!, { purchased_from: '2026-01-01' }, 'transactions', 't');
 * // { conditions: ['CAST(t."purchased_at" AS DATE) >= CAST(? AS DATE)'], params: ['2026-01-01'] }
 * ```
 */
export function filterConditions(
  analysis: AnalysisSpec,
  params: Readonly<Record<string, ParamValue | undefined>>,
  dataset: string,
  alias: string,
): { conditions: string[]; params: SqlParam[] } {
  const conditions: string[] = [];
  const bound: SqlParam[] = [];
  for (const [name, spec] of Object.entries(analysis.params)) {
    const value = params[name];
    if (spec.filter === undefined || value === undefined) continue;
    const target = columnRef(spec.filter.column);
    if (target.dataset !== dataset) continue;
    const column = `${alias}.${ident(target.column)}`;
    const lhs = spec.type === 'date' ? `CAST(${column} AS DATE)` : column;
    const rhs = spec.type === 'date' ? 'CAST(? AS DATE)' : '?';
    switch (spec.filter.op) {
      case 'in': {
        const list = Array.isArray(value) ? value : [String(value)];
        conditions.push(list.length === 0 ? 'false' : `${column} IN (${list.map(() => '?').join(', ')})`);
        bound.push(...list);
        break;
      }
      case 'eq':
        conditions.push(`${lhs} = ${rhs}`);
        bound.push(scalar(value));
        break;
      case 'gte':
        conditions.push(`${lhs} >= ${rhs}`);
        bound.push(scalar(value));
        break;
      case 'lte':
        conditions.push(`${lhs} <= ${rhs}`);
        bound.push(scalar(value));
        break;
    }
  }
  return { conditions, params: bound };
}

/** `WHERE a AND b`, or nothing. */
export function where(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

/** The analysis's two datasets, in the template's order. */
export function analysisPair(template: Template, analysis: AnalysisSpec): [string, string] {
  const [a, b] = analysis.datasets;
  if (a === undefined || b === undefined || template.datasets[a] === undefined || template.datasets[b] === undefined) {
    throw new Error('a validated analysis names two datasets');
  }
  return [a, b];
}

function scalar(value: ParamValue): SqlParam {
  return Array.isArray(value) ? value.join(',') : value;
}
