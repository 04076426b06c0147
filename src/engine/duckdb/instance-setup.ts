import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EngineSettings, InstanceLimits } from './engine-settings.js';
import { quoteLiteral } from './sql-text.js';

/** The alias the room's database file is attached under, in the writer and the sandbox. */
export const ROOM_ALIAS = 'room';

/**
 * A fresh in-memory DuckDB instance with its limits, its private temp directory and
 * extension autoloading, autoinstalling and community extensions off from the start.
 *
 * @example
 * ```ts
 * const instance = await createInstance(settings.sandbox, paths.temp, settings);
 * ```
 */
export async function createInstance(
  limits: Required<InstanceLimits>,
  tempDirectory: string,
  settings: EngineSettings,
): Promise<DuckDBInstance> {
  const config: Record<string, string> = {
    threads: String(limits.threads),
    memory_limit: limits.memoryLimit,
    max_temp_directory_size: limits.maxTempDirectorySize,
    temp_directory: tempDirectory,
    autoload_known_extensions: 'false',
    autoinstall_known_extensions: 'false',
    allow_community_extensions: 'false',
    allow_unsigned_extensions: 'false',
  };
  if (settings.extensionDirectory !== undefined) config.extension_directory = settings.extensionDirectory;
  return DuckDBInstance.create(':memory:', config);
}

/**
 * Attach the room's database file as `room` (read-only for the sandbox) and make it the
 * connection's default database. A sealed room's file is its plaintext working copy.
 *
 * @example
 * ```ts
 * await attachRoom(connection, paths.database, { readOnly: true });
 * ```
 */
export async function attachRoom(connection: DuckDBConnection, databasePath: string, options: { readOnly: boolean }): Promise<void> {
  const suffix = options.readOnly ? ' (READ_ONLY)' : '';
  await connection.run(`ATTACH ${quoteLiteral(databasePath)} AS ${ROOM_ALIAS}${suffix}`);
  await connection.run(`USE ${ROOM_ALIAS}`);
}

/**
 * Lock an instance down, in the order that makes each step stick: the allowed directories
 * and paths first (they cannot be set once external access is off), then external access
 * off, extensions off, and last the configuration lock. Instance-wide (GLOBAL).
 *
 * @example
 * ```ts
 * await lockDown(connection, { allowedDirectories: [paths.temp], allowedPaths: [csvPath] });
 * ```
 */
export async function lockDown(
  connection: DuckDBConnection,
  options: { allowedDirectories: readonly string[]; allowedPaths?: readonly string[] },
): Promise<void> {
  const { allowedDirectories, allowedPaths = [] } = options;
  // A trailing separator keeps '/x/tmp' from also allowing '/x/tmp-other'.
  const directories = allowedDirectories.map((dir) => quoteLiteral(dir.endsWith('/') ? dir : `${dir}/`));
  await connection.run(`SET GLOBAL allowed_directories = [${directories.join(', ')}]`);
  await connection.run(`SET GLOBAL allowed_paths = [${allowedPaths.map(quoteLiteral).join(', ')}]`);
  await connection.run('SET GLOBAL enable_external_access = false');
  await connection.run('SET GLOBAL autoload_known_extensions = false');
  await connection.run('SET GLOBAL autoinstall_known_extensions = false');
  await connection.run('SET GLOBAL allow_community_extensions = false');
  await connection.run('SET GLOBAL lock_configuration = true');
}
