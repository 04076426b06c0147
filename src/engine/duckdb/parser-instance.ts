import { DuckDBInstance } from '@duckdb/node-api';

/**
 * A DuckDB instance for parsing only: in memory, holding no data, one thread, 64 MB,
 * extensions off, external access off, configuration locked — whatever a crafted string
 * could do there, it reaches nothing. Shared by SelectParser and SqlSerializer.
 *
 * @example
 * ```ts
 * const instance = await openParserInstance();
 * ```
 */
export async function openParserInstance(): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: '64MB',
    autoload_known_extensions: 'false',
    autoinstall_known_extensions: 'false',
    allow_community_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    await connection.run('SET GLOBAL enable_external_access = false');
    await connection.run('SET GLOBAL lock_configuration = true');
  } finally {
    connection.closeSync();
  }
  return instance;
}
