import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { CleanRoomError } from '../../core/errors.js';
import type { EngineSettings, InstanceLimits } from './engine-settings.js';
import type { RoomKeys } from './room-keys.js';
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
 * Make DuckDB's secure crypto module available (OpenSSL, from the httpfs extension), which
 * DuckDB needs to write encrypted database and temp files. Returns false when it is not
 * installed (autoinstall is off: nothing is downloaded).
 *
 * @example
 * ```ts
 * if (!(await enableSecureCrypto(connection, settings))) throw ...;
 * ```
 */
export async function enableSecureCrypto(connection: DuckDBConnection, settings: EngineSettings): Promise<boolean> {
  if (settings.unsafeMbedtls) {
    await connection.run('SET force_mbedtls_unsafe = true');
    return true;
  }
  try {
    await connection.run('LOAD httpfs');
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether new rooms can be encrypted at rest with these settings, tried on a throwaway
 * instance.
 *
 * @example
 * ```ts
 * await canEncrypt(settings); // false without httpfs installed
 * ```
 */
export async function canEncrypt(settings: EngineSettings): Promise<boolean> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoload_known_extensions: 'false',
    autoinstall_known_extensions: 'false',
    ...(settings.extensionDirectory === undefined ? {} : { extension_directory: settings.extensionDirectory }),
  });
  try {
    const connection = await instance.connect();
    try {
      return await enableSecureCrypto(connection, settings);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Attach the room's database file as `room` (read-only for the sandbox), with its data key
 * when it is encrypted, and make it the connection's default database.
 *
 * @example
 * ```ts
 * await attachRoom(connection, paths.database, keys, { readOnly: true });
 * ```
 */
export async function attachRoom(
  connection: DuckDBConnection,
  databasePath: string,
  keys: RoomKeys,
  options: { readOnly: boolean },
): Promise<void> {
  const attachOptions: string[] = [];
  if (options.readOnly) attachOptions.push('READ_ONLY');
  // The key is Base64 of random bytes (no quote can occur) and DuckDB takes no parameter here.
  if (keys.encryptedAtRest) attachOptions.push(`ENCRYPTION_KEY ${quoteLiteral(keys.dataKey.toString('base64'))}`);
  const suffix = attachOptions.length > 0 ? ` (${attachOptions.join(', ')})` : '';
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

/**
 * The error for a room that is encrypted but cannot be written encrypted here.
 *
 * @example
 * ```ts
 * throw noSecureCrypto('collab-7');
 * ```
 */
export function noSecureCrypto(collaborationId: string): CleanRoomError {
  return new CleanRoomError(
    'io_error',
    `Cannot write the room of collaboration ${collaborationId} encrypted: DuckDB's secure crypto module (its httpfs extension, which brings OpenSSL) is not installed`,
    { details: { collaborationId } },
  );
}
