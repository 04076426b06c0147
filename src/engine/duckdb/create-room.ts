import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';
import type { EngineSettings } from './engine-settings.js';
import { createRoomKeys } from './room-keys.js';
import type { RoomKeys } from './room-keys.js';
import type { RoomPaths } from './room-paths.js';
import { dropWorkingCopy } from './sealed-room.js';
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
 * master key, and an empty database, sealed at rest unless encryption is 'off' (then
 * `paths` must be the plain ones). A failure removes whatever was made, so the next
 * attempt starts clean.
 *
 * @example
 * ```ts
 * const keys = await createRoom(roomPaths(dataDir, 'collab-7'), 'collab-7', settings);
 * keys.encryptedAtRest; // true unless settings.encryption is 'off'
 * ```
 */
export async function createRoom(paths: RoomPaths, collaborationId: string, settings: EngineSettings): Promise<RoomKeys> {
  const encryptedAtRest = paths.work !== undefined;
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
    if (paths.work !== undefined) {
      await dropWorkingCopy(paths);
      await mkdir(dirname(paths.work), { recursive: true, mode: 0o700 });
      await mkdir(paths.work, { mode: 0o700 });
    }
    await mkdir(dirname(paths.keys), { recursive: true, mode: 0o700 });
    const keys = await createRoomKeys(paths.keys, { masterKey: settings.masterKey, collaborationId, encryptedAtRest });
    await withWriter({ collaborationId, paths, keys, settings }, {}, (connection) => connection.run(CREATE_VERSIONS));
    return keys;
  } catch (error) {
    await rm(paths.keys, { force: true });
    await rm(paths.dir, { recursive: true, force: true });
    await dropWorkingCopy(paths);
    throw error;
  }
}
