import type { PrepareReport } from '../../core/prepare/prepare-report.js';

const num = (n: number): string => n.toLocaleString('en-US');
const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;

/**
 * The prepare report as text for people: rows, each identifier's fill and validity, and
 * what share of rows can match on each kind.
 *
 * @example
 * ```ts
 * process.stdout.write(formatReport(report));
 * ```
 */
export function formatReport(report: PrepareReport): string {
  const { rows } = report;
  const lines: string[] = [];
  lines.push(`Prepared ${report.input} -> ${report.output} in ${(report.durationMs / 1000).toFixed(1)} s (${num(report.rowsPerSecond)} rows/s)`);
  lines.push(`profile ${report.profile}, default country ${report.defaultCountry}, hash ${report.hash.scheme} (${report.hash.encoding})`);
  lines.push('');
  lines.push(`  rows read           ${num(rows.read).padStart(12)}`);
  lines.push(`  rows written        ${num(rows.written).padStart(12)}`);
  lines.push(`  rows rejected       ${num(rows.rejected).padStart(12)}${report.rejects && rows.rejected > 0 ? `  (details in ${report.rejects})` : ''}`);
  lines.push(`  duplicates removed  ${num(rows.duplicatesRemoved).padStart(12)}`);
  if (rows.blankLines > 0) lines.push(`  blank lines skipped ${num(rows.blankLines).padStart(12)}`);
  lines.push('');
  const table = [['column', 'from header', 'filled', 'valid', 'invalid', 'fill', 'valid']];
  for (const id of report.identifiers) {
    table.push([id.column, id.header, num(id.filled), num(id.valid), num(id.invalid), pct(id.fillRate), pct(id.validRate)]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const [r, row] of table.entries()) {
    lines.push('  ' + row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
    if (r === 0) lines.push('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
  }
  lines.push('');
  lines.push('Rows that can match, by key (a valid value, of rows written):');
  lines.push('  ' + report.matchable.map((m) => `${m.kind} ${pct(m.share)}`).join('   '));
  const reasons = report.identifiers.flatMap((id) => id.invalidReasons.slice(0, 3).map((r) => `  ${id.column}: ${r.reason} (${num(r.count)})`));
  if (reasons.length > 0) {
    lines.push('');
    lines.push('Most common reasons values were invalid:');
    lines.push(...reasons);
  }
  if (report.rejectReasons.length > 0) {
    lines.push('');
    lines.push('Why rows were rejected:');
    lines.push(...report.rejectReasons.slice(0, 5).map((r) => `  ${r.reason} (${num(r.count)})`));
  }
  if (report.passThrough.length > 0) lines.push('', `Passed through unchanged: ${report.passThrough.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
