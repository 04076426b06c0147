import type { LoadColumnType, LoadPlan } from '../engine-port.js';
import type { ColumnSpec, Template } from '../template/index.js';
import { datasetSpec } from '../room-schema/room-sql.js';

const TYPES: Readonly<Record<ColumnSpec['type'], LoadColumnType>> = Object.freeze({
  string: 'text',
  integer: 'integer',
  decimal: 'decimal',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
});

/**
 * The engine load plan of one template dataset: identifier columns are loaded as hashes
 * (and re-keyed by the room), every other column with its declared type; required
 * columns reject rows without a value, and rows outside a column's allowed values or
 * range are rejected. Each row of an identity graph must hold at least one identifier.
 *
 * @example
 * ```ts
 * loadPlanFor(template, 'transactions').columns[0]; // { name: 'customer_id', type: 'text', required: true }
 * ```
 */
export function loadPlanFor(template: Template, dataset: string): LoadPlan {
  const spec = datasetSpec(template, dataset);
  // An identity graph's row links its person to identifiers: a row without any links nothing.
  const identifiers = Object.entries(spec.columns).flatMap(([name, column]) => (column.identifier === undefined ? [] : [name]));
  return {
    dataset,
    ...(template.identity.graph?.dataset === dataset ? { requireOneOf: identifiers } : {}),
    columns: Object.entries(spec.columns).map(([name, column]) => ({
      name,
      type: column.identifier !== undefined ? 'identifier' : TYPES[column.type],
      required: column.required,
      ...(column.allowedValues !== undefined ? { allowedValues: column.allowedValues } : {}),
      ...(column.range !== undefined ? { range: column.range } : {}),
    })),
  };
}
