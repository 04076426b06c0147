/**
 * A cell safe to open in a spreadsheet: a value starting with `=`, `+`, `-`, `@`, tab or
 * CR would run as a formula (CSV injection), so it gets a leading apostrophe.
 *
 * @example
 * ```ts
 * spreadsheetSafe('=HYPERLINK("x")'); // "'=HYPERLINK(\"x\")"
 * ```
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
