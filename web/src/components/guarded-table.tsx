import type { GuardedTable } from '../api/types.js';
import { formatCell } from './format.js';

/**
 * A released table, with what the guard held back said plainly: how many rows are
 * suppressed and why, and when counts stand for ranges.
 *
 * @example
 * ```tsx
 * <GuardedTableView name="byKey" table={run.result.tables.byKey} />
 * ```
 */
export function GuardedTableView({ name, table }: { name: string; table: GuardedTable }) {
  return (
    <figure class="guarded" data-table={name}>
      <figcaption>{name}</figcaption>
      {table.roundedTo !== null ? <p class="note">Counts are ranges: each value v stands for v to v + {table.roundedTo - 1}.</p> : null}
      <div class="table-scroll">
      <table>
        <thead>
          <tr>{table.columns.map((c) => <th key={c}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>{table.columns.map((c) => <td key={c}>{cell(table, c, row[c])}</td>)}</tr>
          ))}
          {table.suppressed.rows > 0 ? (
            <tr class="suppressed-row">
              <td colSpan={table.columns.length}>
                {table.suppressed.rows} row(s) suppressed: {table.suppressed.reason ?? 'below the minimum number of people'}
              </td>
            </tr>
          ) : null}
          {table.rows.length === 0 && table.suppressed.rows === 0 ? (
            <tr>
              <td colSpan={table.columns.length}>No rows.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      </div>
    </figure>
  );
}

/** The guard rounds the people and count columns; those cells show the range they stand for. */
const COUNTS = /^(people|converters|conversions|count)/;

function cell(table: GuardedTable, column: string, value: unknown): string {
  if (table.roundedTo !== null && COUNTS.test(column) && typeof value === 'number') {
    return `${value.toLocaleString('en-US')}–${(value + table.roundedTo - 1).toLocaleString('en-US')}`;
  }
  return formatCell(column, value);
}
