import type { DuckDBConnection } from '@duckdb/node-api';
import type { DatasetVersion } from '../../core/engine-port.js';
import { quoteIdentifier } from './sql-text.js';

/**
 * Deletes every dataset version committed before `before` (ISO time), in one transaction:
 * its table and catalog row; a dataset left with no version loses its view too. Returns
 * what was deleted.
 *
 * @example
 * ```ts
 * await expireVersions(connection, '2026-08-01T00:00:00.000Z');
 * ```
 */
export async function expireVersions(connection: DuckDBConnection, before: string): Promise<DatasetVersion[]> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const reader = await connection.runAndReadAll(
      `SELECT dataset, version, table_name, row_count, epoch_ms(created_at) FROM _cleanroom_versions
       WHERE created_at < $1::TIMESTAMPTZ::TIMESTAMP ORDER BY dataset, version`,
      [before],
    );
    const expired = reader.getRows().map(([dataset, version, table, rows, createdMs]) => ({
      dataset: String(dataset),
      version: Number(version),
      table: String(table),
      rows: Number(rows),
      createdAt: new Date(Number(createdMs)).toISOString(),
      current: false,
    }));
    for (const v of expired) {
      await connection.run(`DROP TABLE IF EXISTS ${quoteIdentifier(v.table)}`);
      await connection.run('DELETE FROM _cleanroom_versions WHERE dataset = $1 AND version = $2', [v.dataset, v.version]);
    }
    for (const dataset of new Set(expired.map((v) => v.dataset))) {
      const left = await connection.runAndReadAll('SELECT count(*) FROM _cleanroom_versions WHERE dataset = $1', [dataset]);
      if (Number(left.getRows()[0]?.[0] ?? 0) === 0) await connection.run(`DROP VIEW IF EXISTS ${quoteIdentifier(dataset)}`);
    }
    await connection.run('COMMIT');
    return expired;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
