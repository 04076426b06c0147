/**
 * A cell as a person reads it: numbers grouped, shares as percentages, nulls as a dash.
 *
 * @example
 * ```ts
 * formatCell('share_of_policyholders', 0.1234); // '12.34%'
 * formatCell('people', 12345); // '12,345'
 * ```
 */
export function formatCell(column: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (/share|rate/i.test(column)) return `${(value * 100).toFixed(2)}%`;
    return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A share (0..1) as a percentage with two decimals.
 *
 * @example
 * ```ts
 * percent(0.5); // '50.00%'
 * ```
 */
export function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
