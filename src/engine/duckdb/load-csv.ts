import { basename, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBBlobValue } from '@duckdb/node-api';
import type { LoadPlan, LoadReject, LoadResult } from '../../core/engine-port.js';
import { CleanRoomError } from '../../core/errors.js';
import { engineError } from './engine-failure.js';
import { layoutColumns } from './load-layout.js';
import type { LoadLayout } from './load-layout.js';
import { readRejects } from './read-rejects.js';
import { STAGE_TABLE, stageSql, versionTableSql } from './load-sql.js';
import type { RoomContext } from './room-context.js';
import { quoteIdentifier } from './sql-text.js';
import { readCsvHeader } from './read-csv-header.js';

/**
 * Load a prepared CSV as the next version of a dataset, on a writer connection whose
 * lock-down allows exactly this file. DuckDB reads it (the path a bound parameter),
 * validates and re-keys in SQL; the version table, its catalog row and the dataset's view
 * are committed in one transaction, so a failure anywhere leaves the previous version
 * current and nothing half-written.
 *
 * @example
 * ```ts
 * await withWriter(context, { allowedPaths: [path] }, (connection) => loadCsv(connection, context, path, plan));
 * ```
 */
export async function loadCsv(
  connection: DuckDBConnection,
  context: RoomContext,
  path: string,
  plan: LoadPlan,
): Promise<LoadResult> {
  const { delimiter = ',', maxRejectedRows = Number.POSITIVE_INFINITY, deduplicate = true, rejectSamples = 100 } = plan;
  const file = resolve(path);
  const fileLabel = basename(file);
  const layout = layoutColumns(await readCsvHeader(file, delimiter, fileLabel), plan, fileLabel);
  const { ipad, opad } = hmacPads(context.keys.hmacKey);
  try {
    await connection.run(stageSql(layout), [file, delimiter, ipad, opad]);
  } catch (error) {
    throw engineError(error, `Cannot load ${fileLabel} as dataset ${plan.dataset}: it cannot be read as CSV`, 'invalid_input');
  }
  const staged = await firstRow(connection, `SELECT count(*), count(_reject) FROM ${STAGE_TABLE}`);
  const rejected = await readRejects(connection, layout, {
    failedRows: Number(staged[1]),
    limit: rejectSamples,
    read: [file, delimiter],
  });
  const rowsRejected = Number(staged[1]) + rejected.malformedRows;
  const validRows = Number(staged[0]) - Number(staged[1]);
  if (rowsRejected > maxRejectedRows) {
    throw new CleanRoomError(
      'invalid_input',
      `Cannot load ${fileLabel} as dataset ${plan.dataset}: ${rowsRejected} rows were rejected, at most ${maxRejectedRows} are allowed`,
      { details: { file: fileLabel, rowsRejected, maxRejectedRows, rejects: rejected.samples } },
    );
  }
  return commitVersion(connection, context, layout, {
    deduplicate,
    rowsRead: validRows + rowsRejected,
    rowsRejected,
    validRows,
    rejects: rejected.samples,
  });
}

interface Counts {
  deduplicate: boolean;
  rowsRead: number;
  rowsRejected: number;
  validRows: number;
  rejects: readonly LoadReject[];
}

async function commitVersion(
  connection: DuckDBConnection,
  context: RoomContext,
  layout: LoadLayout,
  counts: Counts,
): Promise<LoadResult> {
  const { dataset } = layout;
  await connection.run('BEGIN TRANSACTION');
  try {
    const next = await firstRow(
      connection,
      'SELECT coalesce(max(version), 0) + 1 FROM _cleanroom_versions WHERE dataset = $1',
      [dataset],
    );
    const version = Number(next[0]);
    const table = `${dataset}__v${version}`;
    await connection.run(versionTableSql(layout, table, counts.deduplicate));
    const rowsStored = Number((await firstRow(connection, `SELECT count(*) FROM ${quoteIdentifier(table)}`))[0]);
    const fillRate = await fillRates(connection, layout, table, rowsStored);
    await connection.run('INSERT INTO _cleanroom_versions VALUES ($1, $2, $3, $4, now()::TIMESTAMP)', [
      dataset,
      version,
      table,
      rowsStored,
    ]);
    await connection.run(`CREATE OR REPLACE VIEW ${quoteIdentifier(dataset)} AS SELECT * FROM ${quoteIdentifier(table)}`);
    await context.settings.hooks.beforeLoadCommit?.(dataset);
    await connection.run('COMMIT');
    return {
      dataset,
      version,
      table,
      rowsRead: counts.rowsRead,
      rowsRejected: counts.rowsRejected,
      duplicatesRemoved: counts.validRows - rowsStored,
      rowsStored,
      fillRate,
      rejects: counts.rejects,
      ignoredColumns: layout.ignoredColumns,
    };
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw engineError(error, `Cannot store a new version of dataset ${dataset} in room ${context.collaborationId}: the engine failed`);
  }
}

async function fillRates(
  connection: DuckDBConnection,
  layout: LoadLayout,
  table: string,
  rowsStored: number,
): Promise<Record<string, number>> {
  const identifiers = layout.placed.filter(({ column }) => column.type === 'identifier').map(({ column }) => column.name);
  if (identifiers.length === 0) return {};
  const row = await firstRow(
    connection,
    `SELECT ${identifiers.map((name) => `count(${quoteIdentifier(name)})`).join(', ')} FROM ${quoteIdentifier(table)}`,
  );
  return Object.fromEntries(identifiers.map((name, i) => [name, rowsStored === 0 ? 0 : Number(row[i]) / rowsStored]));
}

/** HMAC's two padded keys (RFC 2104), so SQL computes HMAC-SHA256 from sha256 alone. */
function hmacPads(key: Buffer): { ipad: DuckDBBlobValue; opad: DuckDBBlobValue } {
  const ipad = Buffer.alloc(64, 0x36);
  const opad = Buffer.alloc(64, 0x5c);
  for (let i = 0; i < key.length; i++) {
    ipad[i] = (key[i] ?? 0) ^ 0x36;
    opad[i] = (key[i] ?? 0) ^ 0x5c;
  }
  return { ipad: new DuckDBBlobValue(ipad), opad: new DuckDBBlobValue(opad) };
}

async function firstRow(
  connection: DuckDBConnection,
  sql: string,
  params: (string | number)[] = [],
): Promise<readonly unknown[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRows()[0] ?? [];
}
