import type { DuckDBConnection } from '@duckdb/node-api';
import type { LoadReject } from '../../core/engine-port.js';
import type { LoadLayout } from './load-layout.js';
import { numberedSql, rejectSamplesSql, REJECTS_TABLE } from './load-sql.js';

/** Rejected rows of a staged load: how many the CSV reader dropped, and the first few. */
export interface Rejected {
  malformedRows: number;
  samples: readonly LoadReject[];
}

// Enough reader rejects to place the sampled rows exactly in all but pathological files.
const MAX_MALFORMED_LINES = 100_000;

/** What readRejects needs to know about the staged load. */
export interface RejectsQuery {
  /** Rows that failed a column check (counted while staging). */
  failedRows: number;
  /** How many rejects to describe. */
  limit: number;
  /** The CSV's path and delimiter, to number its records when some failed a check. */
  read: [path: string, delimiter: string];
}

/**
 * The rejects of a staged load, in file order: rows the CSV reader could not parse
 * ('malformed_row', at DuckDB's reported line) and rows that failed a column check. Only
 * line, column and reason are read: never the reader's stored line text or message.
 * Records are numbered (a second, single-threaded read) only when a check failed.
 *
 * @example
 * ```ts
 * const { malformedRows, samples } = await readRejects(connection, layout, { failedRows: 3, limit: 100, read: [path, ','] });
 * ```
 */
export async function readRejects(connection: DuckDBConnection, layout: LoadLayout, query: RejectsQuery): Promise<Rejected> {
  const { failedRows, limit, read } = query;
  const malformed = await connection.runAndReadAll(
    `SELECT line, min(column_name) FROM ${REJECTS_TABLE} GROUP BY line ORDER BY line LIMIT $1`,
    [MAX_MALFORMED_LINES],
  );
  const malformedLines = malformed.getRows().map((row) => ({ line: Number(row[0]), fileColumn: String(row[1] ?? '') }));
  const total = await connection.runAndReadAll(`SELECT count(DISTINCT line) FROM ${REJECTS_TABLE}`);
  const malformedRows = Number(total.getRows()[0]?.[0] ?? 0);
  const samples: LoadReject[] = malformedLines.slice(0, limit).map(({ line, fileColumn }) => ({
    line,
    column: columnName(layout, fileColumn),
    reason: 'malformed_row',
  }));
  if (failedRows > 0 && limit > 0) {
    await connection.run(numberedSql(layout), read);
    const failed = await connection.runAndReadAll(rejectSamplesSql(layout), [limit]);
    for (const [record, code] of failed.getRows()) {
      const rejectCode = layout.rejectCodes[Number(code) - 1];
      if (rejectCode === undefined) continue;
      samples.push({ line: lineOfRecord(Number(record), malformedLines), ...rejectCode });
    }
  }
  samples.sort((a, b) => a.line - b.line);
  return { malformedRows, samples: samples.slice(0, limit) };
}

// Staged record r sits after r - 1 good records and every malformed one before it; the
// header is line 1. DuckDB numbers lines the same way (one per record).
function lineOfRecord(record: number, malformed: readonly { line: number }[]): number {
  let line = record + 1;
  for (const { line: bad } of malformed) {
    if (bad <= line) line++;
    else break;
  }
  return line;
}

// The reader names the offending column by our staging name f<i> (none for too many columns).
function columnName(layout: LoadLayout, fileColumn: string): string {
  const match = /^f(\d+)$/.exec(fileColumn);
  if (match === null) return '';
  const fileIndex = Number(match[1]);
  const placed = layout.placed.find((p) => p.fileIndex === fileIndex);
  return placed?.column.name ?? `column ${fileIndex + 1}`;
}
