import type { Cell, SqlParam } from '../engine-port.js';
import type { ResultShape } from '../privacy/result-shape.js';

/**
 * An analysis compiled from its typed plan: one SELECT with bound parameters, never
 * text built from a caller's values, and the shape of its rows.
 *
 * @example
 * ```ts
 * const compiled = compileOverlap(template, 'overlap', { group_by: [] });
 * const { rows } = await room.query(compiled.sql, compiled.params);
 * ```
 */
export interface CompiledAnalysis {
  sql: string;
  params: SqlParam[];
  shape: ResultShape;
  /** Turns engine rows into released form (e.g. key indexes into key names) before the guard. */
  transform?: (rows: readonly Record<string, Cell>[]) => Record<string, Cell>[];
}
