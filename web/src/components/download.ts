/**
 * Hands text to the person as a file download (a CSV template, an audience).
 *
 * @example
 * ```ts
 * downloadText('transactions.template.csv', csv, 'text/csv');
 * ```
 */
export function downloadText(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
