import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { SqlStatement } from '../../core/engine-port.js';
import { engineError } from './engine-failure.js';

/**
 * Run trusted, compiled statements (one statement per entry) on a writer connection in one
 * transaction: every one commits, or none does.
 *
 * @example
 * ```ts
 * await executeStatements(connection, [{ sql: 'CREATE TABLE m AS SELECT ...' }], 'collab-7');
 * ```
 */
export async function executeStatements(
  connection: DuckDBConnection,
  statements: readonly SqlStatement[],
  collaborationId: string,
): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  let index = 0;
  try {
    for (const { sql, params = [] } of statements) {
      index += 1;
      // prepare() takes one statement only: a string holding two fails instead of running both.
      const prepared = await connection.prepare(sql);
      try {
        if (params.length > 0) prepared.bind(params as DuckDBValue[]);
        await prepared.run();
      } finally {
        prepared.destroySync();
      }
    }
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw engineError(error, `Cannot execute statement ${index} of ${statements.length} in room ${collaborationId}: the engine rejected it; nothing was changed`);
  }
}
