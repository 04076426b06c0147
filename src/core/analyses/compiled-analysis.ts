import type { Cell, SqlParam } from '../engine-port.js';

/**
 * What the guard needs to know about a compiled analysis's result rows: which columns
 * group, which column counts the distinct people behind a row (the threshold is applied
 * to it), and which columns carry released values.
 */
export interface ResultShape {
  /** Group-by columns, in order; a row is identified by their values. */
  dimensions: string[];
  /** The column holding the distinct matched people behind the row (thresholded). */
  people: string;
  /** Other counts of people or events (rounded like `people` when the template rounds). */
  counts: string[];
  /** Sums, means and other values released with the row (suppressed with it). */
  values: string[];
  /**
   * True when each person falls in exactly one row (the groups partition the people), so
   * that a total minus the released rows would reveal the suppressed ones: the guard then
   * applies complementary suppression.
   */
  partition: boolean;
}

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
