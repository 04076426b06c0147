/**
 * A value as one CSV field: quoted (with `""` escapes) only when it holds a comma,
 * quote, CR or LF, so that most values cost nothing.
 *
 * @example
 * ```ts
 * csvField('a,b'); // '"a,b"'
 * csvField('plain'); // 'plain'
 * ```
 */
export function csvField(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}
