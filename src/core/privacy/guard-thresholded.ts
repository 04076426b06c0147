import type { CheckedQuery } from '../custom-sql/index.js';
import type { Cell } from '../engine-port.js';
import type { GuardPolicy } from './guard-policy.js';
import { guardResult } from './guard-result.js';
import type { GuardedTable } from './guard-result.js';
import type { ResultShape } from './result-shape.js';

/** The column the guard thresholds on: the fewest distinct people of any protected party. */
const PEOPLE = '__people';

/**
 * Guard the rows of a threshold query (`thresholdQuery` of analyses/sql): a row is released only when each protected
 * party's distinct people reach the minimum (the guard thresholds on the smallest of the
 * hidden counts), with complementary suppression when the query has group keys and rounding
 * as the template asks; the hidden counts are never released. Group keys are dimensions,
 * counts are rounded like people, sums, means and constants are values.
 *
 * @example
 * ```ts
 * const table = guardThresholded(rows, plan, hidden, { minPeople: 100, rounding: null });
 * table.columns; // ['segment', 'buyers', 'spend'] — no hidden column
 * ```
 */
export function guardThresholded(rows: readonly Record<string, Cell>[], plan: CheckedQuery, hidden: readonly string[], policy: GuardPolicy): GuardedTable {
  const { shape, withPeople } = thresholdedRows(rows, plan, hidden);
  return inOutputOrder(plan, guardResult(withPeople, shape, policy));
}

/**
 * {@link guardThresholded} with another guard of the prepared rows (the difference check's),
 * which receives each row with its `__people` and every hidden column.
 *
 * @example
 * ```ts
 * const table = await guardThresholdedWith(rows, plan, hidden, (prepared, shape) => check.guard('custom_sql', prepared, shape, ['_0']));
 * ```
 */
export async function guardThresholdedWith(
  rows: readonly Record<string, Cell>[],
  plan: CheckedQuery,
  hidden: readonly string[],
  guard: (rows: Record<string, Cell>[], shape: ResultShape) => Promise<GuardedTable>,
): Promise<GuardedTable> {
  const { shape, withPeople } = thresholdedRows(rows, plan, hidden);
  return inOutputOrder(plan, await guard(withPeople, shape));
}

function thresholdedRows(rows: readonly Record<string, Cell>[], plan: CheckedQuery, hidden: readonly string[]): { shape: ResultShape; withPeople: Record<string, Cell>[] } {
  const dimensions = plan.outputs.filter((o) => o.kind === 'group_key').map((o) => o.name);
  const isCount = (o: CheckedQuery['outputs'][number]): boolean => o.kind === 'aggregate' && o.aggregates.every((a) => a === 'count' || a === 'count_distinct');
  const shape: ResultShape = {
    dimensions,
    people: PEOPLE,
    counts: plan.outputs.filter(isCount).map((o) => o.name),
    values: plan.outputs.filter((o) => o.kind !== 'group_key' && !isCount(o)).map((o) => o.name),
    partition: dimensions.length > 0,
  };
  const withPeople = rows.map((row) => ({ ...row, [PEOPLE]: Math.min(...hidden.map((h) => peopleOf(row[h]))) }));
  return { shape, withPeople };
}

function inOutputOrder(plan: CheckedQuery, guarded: GuardedTable): GuardedTable {
  const order = plan.outputs.map((o) => o.name);
  return {
    ...guarded,
    columns: order,
    rows: guarded.rows.map((row) => Object.fromEntries(order.map((name) => [name, row[name] ?? null]))),
  };
}

function peopleOf(cell: Cell | undefined): number {
  const n = Number(cell ?? 0);
  return Number.isFinite(n) ? n : 0;
}
