import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rewrapRoomKeys } from '../../engine/duckdb/room-keys.js';
import { rewrapDataKeys } from './key-ring.js';
import { checkMasterKeyFits, writeMasterCheck } from './master-key.js';

/**
 * Re-wraps every key of a data dir from the old master key to the new one without touching
 * the sealed data: each room's keys (`collaborations/<id>/room-keys.json`), each store data
 * key (`keys/<id>.json`), then the master check, last. Everything is checked to open
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
  const rooms: { id: string; path: string }[] = [];
  for (const id of await readdir(join(dataDir, 'collaborations')).catch(() => [] as string[])) {
    const path = join(dataDir, 'collaborations', id, 'room-keys.json');
    // A directory without keys is a room whose creation stopped: it holds nothing sealed.
    if (await access(path).then(() => true, () => false)) rooms.push({ id, path });
  }
  for (const room of rooms) await rewrapRoomKeys(room.path, { from, to, collaborationId: room.id, check: true });
  let moved = 0;
  for (const room of rooms) if ((await rewrapRoomKeys(room.path, { from, to, collaborationId: room.id })) === 'rewrapped') moved += 1;
  const dataKeys = await rewrapDataKeys(join(dataDir, 'keys'), from, to);
  await writeMasterCheck(dataDir, to);
  return { rooms: moved, dataKeys };
}
