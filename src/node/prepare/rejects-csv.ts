import type { RejectEntry } from '../../core/prepare/prepare-chunk.js';
import { csvField } from '../../core/prepare/csv-field.js';
import { spreadsheetSafe } from '../../core/release/spreadsheet-safe.js';

export { spreadsheetSafe };

/** The header row of a rejects file. */
export function rejectsHeader(): string {
  return 'line,column,field,action,reason,value\n';
}

/**
 * Rejects as CSV rows, every text cell spreadsheet-safe.
 *
 * @example
 * ```ts
 * rejectsRows([{ line: 3, column: 2, field: 'phone', action: 'value_blanked', reason: 'invalid phone: too short', value: '123' }]);
 * // '3,2,phone,value_blanked,invalid phone: too short,123\n'
 * ```
 */
export function rejectsRows(rejects: readonly RejectEntry[]): string {
  let text = '';
  for (const r of rejects) {
    text += `${r.line},${r.column},${cell(r.field)},${r.action},${cell(r.reason)},${cell(r.value)}\n`;
  }
  return text;
}

function cell(value: string): string {
  return csvField(spreadsheetSafe(value));
}
