const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A value as one CSV field: quoted (with `""` escapes) only when it holds a comma,
 * quote, CR or LF, so that most values cost one native regex test.
 *
 * @example
 * ```ts
 * csvField('a,b'); // '"a,b"'
 * csvField('plain'); // 'plain'
 * ```
 */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
