import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rewrapRoomKeys } from '../../engine/duckdb/room-keys.js';
import { rewrapDataKeys } from './key-ring.js';
import { checkMasterKeyFits, writeMasterCheck } from './master-key.js';

const ROOM_KEYS = '.room.json';

/**
 * Re-wraps every key of a data dir from the old master key to the new one without touching
 * the sealed data: each room's keys (`keys/<id>.room.json`), each store data
 * key (`keys/<id>.store.json`), then the master check, last. Everything is checked to open
 * before anything is written; a rotation stopped half way is finished by running it again
 * with the same two keys. The caller holds the data dir's lock (no server runs).
 *
 * @example
 * ```ts
 * await rotateMasterKey('/var/cleanroom', oldKey, newKey); // { rooms: 4, dataKeys: 4 }
 * ```
 */
export async function rotateMasterKey(dataDir: string, from: Uint8Array, to: Uint8Array): Promise<{ rooms: number; dataKeys: number }> {
  await checkMasterKeyFits(dataDir, from);
  const rooms = (await readdir(join(dataDir, 'keys')).catch(() => [] as string[]))
    .filter((name) => name.endsWith(ROOM_KEYS))
    .map((name) => ({ id: name.slice(0, -ROOM_KEYS.length), path: join(dataDir, 'keys', name) }));
  for (const room of rooms) await rewrapRoomKeys(room.path, { from, to, collaborationId: room.id, check: true });
  let moved = 0;
  for (const room of rooms) if ((await rewrapRoomKeys(room.path, { from, to, collaborationId: room.id })) === 'rewrapped') moved += 1;
  const dataKeys = await rewrapDataKeys(join(dataDir, 'keys'), from, to);
  await writeMasterCheck(dataDir, to);
  return { rooms: moved, dataKeys };
}
