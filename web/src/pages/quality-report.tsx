import type { RejectEntry } from '../../../src/core/prepare/prepare-chunk.js';
import type { PrepareReport } from '../api/types.js';
import { percent } from '../components/format.js';

/**
 * The quality report of a file prepared in the browser: rows kept and rejected, fill and
 * validity per identifier, what will be matchable, and the first problems by line (the
 * rejected values are shown here only; they never leave the browser).
 *
 * @example
 * ```tsx
 * <QualityReport report={report} rejects={rejects} />
 * ```
 */
export function QualityReport({ report, rejects }: { report: PrepareReport; rejects: RejectEntry[] }) {
  const { rows } = report;
  return (
    <section class="quality-report">
      <h4>Quality report</h4>
      <p data-report="rows">
        {rows.read.toLocaleString('en-US')} rows read, <strong>{rows.written.toLocaleString('en-US')} prepared</strong>, {rows.rejected.toLocaleString('en-US')} rejected, {rows.duplicatesRemoved.toLocaleString('en-US')} duplicates removed ({report.durationMs} ms).
      </p>
      <table>
        <thead>
          <tr>
            <th>column</th>
            <th>kind</th>
            <th>fill rate</th>
            <th>valid</th>
            <th>already hashed</th>
            <th>why values were invalid</th>
          </tr>
        </thead>
        <tbody>
          {report.identifiers.map((i) => (
            <tr key={i.column}>
              <td>{i.column}</td>
              <td>{i.kind}</td>
              <td>{percent(i.fillRate)}</td>
              <td>{percent(i.validRate)}</td>
              <td>{i.prehashed.toLocaleString('en-US')}</td>
              <td>{i.invalidReasons.map((r) => `${r.reason} (${r.count})`).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Matchable rows: {report.matchable.map((m) => `${m.kind} ${percent(m.share)}`).join(', ')}</p>
      {rejects.length > 0 ? (
        <details>
          <summary>First {rejects.length} problems (shown to you only)</summary>
          <table>
            <thead>
              <tr>
                <th>line</th>
                <th>column</th>
                <th>reason</th>
                <th>action</th>
              </tr>
            </thead>
            <tbody>
              {rejects.map((r, n) => (
                <tr key={n}>
                  <td>{r.line}</td>
                  <td>{r.field || r.column}</td>
                  <td>{r.reason}</td>
                  <td>{r.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}
