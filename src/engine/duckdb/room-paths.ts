import { join, resolve } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';

/** Where one room's files live. */
export interface RoomPaths {
  /** `<dataDir>/collaborations/<id>`: the room's files, removed by destroy (after its keys). */
  dir: string;
  /** The DuckDB database file: in the room's dir when plain, in its work dir when sealed. */
  database: string;
  /**
   * The room's data key and HMAC secret, wrapped by the master key: in the data dir's key
   * store (`<dataDir>/keys/<id>.room.json`), apart from the data, so that backups of the data
   * can leave the keys out and a deleted room's keys outlive it nowhere.
   */
  keys: string;
  /** The sealed database (AES-256-GCM under the data key), the room's only copy on disk when sealed. */
  sealed: string;
  /** DuckDB's spill directory: private to the room, the only directory the sandbox may touch. */
  temp: string;
  /** `<workDir>/<id>`: the RAM-backed home of the open room's plaintext; undefined when plain. */
  work: string | undefined;
}

const ROOM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The paths of a collaboration's room, after checking that the id cannot escape the data
 * directory (letters, digits, '_' and '-', at most 64 characters).
 *
 * @example
 * ```ts
 * roomPaths('/var/cleanroom', 'collab-7').database; // '/var/cleanroom/collaborations/collab-7/room.duckdb'
 * roomPaths('/var/cleanroom', 'collab-7', '/dev/shm/cr').database; // '/dev/shm/cr/collab-7/room.duckdb'
 * roomPaths('/var/cleanroom', '../etc'); // throws invalid_argument
 * ```
 */
export function roomPaths(dataDir: string, collaborationId: string, workDir?: string): RoomPaths {
  if (!ROOM_ID.test(collaborationId)) {
    throw new CleanRoomError(
      'invalid_argument',
      `Cannot use "${collaborationId.slice(0, 80)}" as a collaboration id: use 1 to 64 letters, digits, '_' or '-', starting with a letter or digit`,
      { details: { field: 'collaborationId' } },
    );
  }
  const dir = join(resolve(dataDir), 'collaborations', collaborationId);
  const work = workDir === undefined ? undefined : join(resolve(workDir), collaborationId);
  return {
    dir,
    database: join(work ?? dir, 'room.duckdb'),
    keys: join(resolve(dataDir), 'keys', `${collaborationId}.room.json`),
    sealed: join(dir, 'room.sealed'),
    temp: join(work ?? dir, 'tmp'),
    work,
  };
}
