import type { GuardedTable } from '../api/types.js';
import { formatCell } from './format.js';
import { noisyColumns } from './noisy-columns.js';
import { formatDelta, formatEpsilon } from './privacy-format.js';

/**
 * A released table, with what the guard held back said plainly: how many rows are
 * suppressed and why, and when counts stand for ranges. Under differential privacy each
 * noisy value reads "value ± half-width" of its 95% interval (its label as a tooltip), its
 * bound columns are not shown as columns of their own, and a note says how the groups were
 * chosen.
 *
 * @example
 * ```tsx
 * <GuardedTableView name="byKey" table={run.result.tables.byKey} />
 * ```
 */
export function GuardedTableView({ name, table }: { name: string; table: GuardedTable }) {
  const { shown, noise } = noisyColumns(table);
  return (
    <figure class="guarded" data-table={name}>
      <figcaption>{name}</figcaption>
      {table.roundedTo !== null ? <p class="note">Counts are ranges: each value v stands for v to v + {table.roundedTo - 1}.</p> : null}
      {Object.keys(noise).length > 0 ? <p class="note" data-noise-note>Noisy values read value ± the half-width of their 95% interval; hover over one to see how it was made.</p> : null}
      {table.selection !== undefined ? (
        <p class="note" data-selection={table.selection.kind}>
          {selectionNote(table.selection)}
        </p>
      ) : null}
      <div class="table-scroll">
      <table>
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c} title={noise[c]?.label}>
                {c}
                {noise[c] !== undefined ? ' (±95%)' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {shown.map((c) => {
                const note = noise[c];
                if (note === undefined) return <td key={c}>{cell(table, c, row[c])}</td>;
                return (
                  <td key={c} class="noisy" title={note.label} data-noisy={c}>
                    {noisyCell(c, row[c], row[`${c}.low`], row[`${c}.high`], note.halfWidth)}
                  </td>
                );
              })}
            </tr>
          ))}
          {table.suppressed.rows === null ? (
            <tr class="suppressed-row">
              <td colSpan={shown.length}>{table.suppressed.reason}</td>
            </tr>
          ) : table.suppressed.rows > 0 ? (
            <tr class="suppressed-row">
              <td colSpan={shown.length}>
                {table.suppressed.rows} row(s) suppressed: {table.suppressed.reason ?? 'below the minimum number of people'}
              </td>
            </tr>
          ) : null}
          {table.rows.length === 0 && (table.suppressed.rows === 0 || table.suppressed.rows === null) ? (
            <tr>
              <td colSpan={shown.length}>No rows.</td>
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

/** `v ± h` when every row has the same half-width; else the interval itself (derived columns). */
function noisyCell(column: string, value: unknown, low: unknown, high: unknown, halfWidth: number | null): string {
  if (value === null || value === undefined) return '—';
  if (halfWidth !== null) return `${formatCell(column, value)} ± ${formatCell(column, halfWidth)}`;
  if (typeof low === 'number' && typeof high === 'number') return `${formatCell(column, value)} (${formatCell(column, low)} to ${formatCell(column, high)})`;
  return formatCell(column, value);
}

function selectionNote(selection: NonNullable<GuardedTable['selection']>): string {
  switch (selection.kind) {
    case 'public':
      return 'Groups: every value the template declares is listed, empty ones too, so whether a group appears tells nothing.';
    case 'noisy_threshold':
      return `Groups: a group is released only when its noisy count of people reaches ${selection.threshold ?? 'the threshold'} (differentially private partition selection${selection.epsilon !== undefined ? `, ε=${formatEpsilon(selection.epsilon)}` : ''}${selection.delta !== undefined ? `, δ=${formatDelta(selection.delta)}` : ''}); smaller groups are not shown and are not counted as suppressed.`;
    case 'none':
      return 'One row for everyone: no groups to choose.';
  }
}
