import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
import { StatementType } from '@duckdb/node-api';
import type { Cell, QueryResult, ResultColumn, SqlParam } from '../../core/engine-port.js';
import { CleanRoomError } from '../../core/errors.js';
import { cellTypeOf, toCell } from './convert-cell.js';
import { engineError } from './engine-failure.js';

/** Limits and labels of one sandboxed query run. */
export interface RunLimits {
  timeoutMs: number;
  maxRows: number;
  /** For messages: whose room this is. */
  collaborationId: string;
}

/**
 * Run one already-checked SELECT on a sandbox connection: prepared (the statement type is
 * checked again after binding), parameters bound, rows streamed until `maxRows` is passed
 * (refused, never truncated), the whole run under a timer that interrupts the connection.
 * Engine errors become generic CleanRoomErrors; the engine's message is dropped.
 *
 * @example
 * ```ts
 * const result = await runQuery(connection, 'SELECT count(*) AS n FROM exposures WHERE day >= ?', ['2024-01-01'], {
 *   timeoutMs: 10_000, maxRows: 1000, collaborationId: 'collab-7',
 * });
 * result.rows; // [{ n: 1234 }]
 * ```
 */
export async function runQuery(
  connection: DuckDBConnection,
  sql: string,
  params: readonly SqlParam[],
  limits: RunLimits,
): Promise<QueryResult> {
  const { timeoutMs, maxRows, collaborationId } = limits;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, timeoutMs);
  let prepared: DuckDBPreparedStatement | undefined;
  try {
    prepared = await connection.prepare(sql);
    if (prepared.statementType !== StatementType.SELECT) {
      throw new CleanRoomError('refused', 'Cannot run the statement in the sandbox: it is not a SELECT statement', {
        details: { reason: 'it is not a SELECT statement' },
      });
    }
    if (prepared.parameterCount !== params.length) {
      throw new CleanRoomError(
        'invalid_argument',
        `Cannot run the query in room ${collaborationId}: it takes ${prepared.parameterCount} parameters, ${params.length} were given`,
      );
    }
    if (params.length > 0) prepared.bind(params as DuckDBValue[]);
    const result = await prepared.stream();
    const names = result.deduplicatedColumnNames();
    const columns: ResultColumn[] = names.map((name, index) => ({ name, type: cellTypeOf(result.columnTypeId(index)) }));
    const rows: Record<string, Cell>[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      if (rows.length + chunk.rowCount > maxRows) {
        throw new CleanRoomError(
          'refused',
          `Cannot return the result of the query in room ${collaborationId}: it has more than ${maxRows} rows`,
          { details: { reason: 'too many rows', maxRows } },
        );
      }
      for (const values of chunk.getRows()) {
        const row: Record<string, Cell> = {};
        names.forEach((name, index) => {
          row[name] = toCell(values[index] ?? null);
        });
        rows.push(row);
      }
    }
    return { columns, rows };
  } catch (error) {
    if (timedOut) throw timeoutError(collaborationId, timeoutMs);
    throw engineError(error, `Cannot run the query in room ${collaborationId}: the engine rejected it`);
  } finally {
    clearTimeout(timer);
    prepared?.destroySync();
  }
}

function timeoutError(collaborationId: string, timeoutMs: number): CleanRoomError {
  return new CleanRoomError(
    'timeout',
    `Cannot finish the query in room ${collaborationId} within ${timeoutMs} ms: it was stopped`,
    { details: { timeoutMs } },
  );
}
