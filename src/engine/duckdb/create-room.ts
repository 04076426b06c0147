import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';
import type { EngineSettings } from './engine-settings.js';
import { canEncrypt } from './instance-setup.js';
import { createRoomKeys } from './room-keys.js';
import type { RoomKeys } from './room-keys.js';
import type { RoomPaths } from './room-paths.js';
import { withWriter } from './with-writer.js';

/** The room's catalog of dataset versions; never visible to analyses (see openSandbox). */
const CREATE_VERSIONS = `CREATE TABLE _cleanroom_versions (
  dataset VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  table_name VARCHAR NOT NULL,
  row_count BIGINT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (dataset, version)
)`;

/**
 * Create a room on disk: its private directory (mode 0700), fresh keys wrapped by the
 * master key, and an empty database, encrypted when the settings ask and DuckDB can. A
 * failure removes whatever was made, so the next attempt starts clean.
 *
 * @example
 * ```ts
 * const keys = await createRoom(roomPaths(dataDir, 'collab-7'), 'collab-7', settings);
 * keys.encryptedAtRest; // true when DuckDB's secure crypto is installed
 * ```
 */
export async function createRoom(paths: RoomPaths, collaborationId: string, settings: EngineSettings): Promise<RoomKeys> {
  const encryptedAtRest = settings.encryption !== 'off' && (await canEncrypt(settings));
  if (settings.encryption === 'required' && !encryptedAtRest) {
    throw new CleanRoomError(
      'io_error',
      `Cannot create the room of collaboration ${collaborationId} encrypted at rest: DuckDB's secure crypto module (its httpfs extension, which brings OpenSSL) is not installed; install it or set encryption to 'preferred'`,
      { details: { collaborationId } },
    );
  }
  await mkdir(dirname(paths.dir), { recursive: true, mode: 0o700 });
  try {
    await mkdir(paths.dir, { mode: 0o700 });
  } catch (error) {
    throw new CleanRoomError('invalid_argument', `Cannot create the room of collaboration ${collaborationId}: its directory already exists`, {
      details: { collaborationId },
      cause: error,
    });
  }
  try {
    const keys = await createRoomKeys(paths.keys, { masterKey: settings.masterKey, collaborationId, encryptedAtRest });
    await withWriter({ collaborationId, paths, keys, settings }, {}, (connection) => connection.run(CREATE_VERSIONS));
    return keys;
  } catch (error) {
    await rm(paths.dir, { recursive: true, force: true });
    throw error;
  }
}
