import { access } from 'node:fs/promises';
import type { OpenRoomOptions, RoomEngine, RoomStore } from '../../core/engine-port.js';
import { CleanRoomError } from '../../core/errors.js';
import { createRoom } from './create-room.js';
import { DuckDbRoom } from './duckdb-room.js';
import { engineSettings } from './engine-settings.js';
import type { DuckDbEngineOptions } from './engine-settings.js';
import { readRoomKeys } from './room-keys.js';
import type { RoomKeys } from './room-keys.js';
import { openSealedRoom, shredRoom } from './sealed-room.js';
import { roomPaths } from './room-paths.js';
import { SelectParser } from './select-parser.js';
import { SqlSerializer } from './serialize-sql.js';

// Room files open in this process, across engines: DuckDB itself would let two instances
// of one process open the same file, and corrupt it.
const openFiles = new Set<string>();

/**
 * The DuckDB engine: one DuckDB database per collaboration, sealed at rest under
 * `<dataDir>/collaborations/<id>/` and worked on in a RAM-backed copy while open,
 * identifiers re-keyed per collaboration, analyses in a locked-down read-only sandbox.
 * `openRoom` returns the room already open if there is one.
 *
 * @example
 * ```ts
 * const engine = createDuckDbEngine({ dataDir: '/var/cleanroom', masterKey, encryption: 'required' });
 * const room = await engine.openRoom('collab-7', { create: true });
 * await engine.close();
 * ```
 */
export function createDuckDbEngine(options: DuckDbEngineOptions): RoomEngine {
  const settings = engineSettings(options);
  const rooms = new Map<string, Promise<DuckDbRoom>>();
  let parser: Promise<SelectParser> | undefined;
  let serializer: Promise<SqlSerializer> | undefined;
  let closed = false;
  const getParser = (): Promise<SelectParser> => {
    parser ??= SelectParser.open().catch((error: unknown) => {
      parser = undefined;
      throw error;
    });
    return parser;
  };
  const getSerializer = (): Promise<SqlSerializer> => {
    serializer ??= SqlSerializer.open().catch((error: unknown) => {
      serializer = undefined;
      throw error;
    });
    return serializer;
  };

  async function open(collaborationId: string, create: boolean): Promise<DuckDbRoom> {
    const plain = roomPaths(settings.dataDir, collaborationId);
    const exists = await fileExists(plain.keys);
    if (!exists && !create) {
      throw new CleanRoomError('not_found', `Cannot open the room of collaboration ${collaborationId}: it does not exist`, {
        details: { collaborationId },
      });
    }
    const found = exists ? await readRoomKeys(plain.keys, { masterKey: settings.masterKey, collaborationId }) : undefined;
    // A room's own keys file says whether it is sealed; a new room follows the settings.
    const sealed = found === undefined ? settings.workDir !== undefined : found.encryptedAtRest;
    if (sealed && settings.workDir === undefined) {
      throw new CleanRoomError('invalid_argument', `Cannot open the room of collaboration ${collaborationId}: it is sealed at rest and this engine has encryption 'off'`, { details: { collaborationId } });
    }
    const paths = sealed ? roomPaths(settings.dataDir, collaborationId, settings.workDir) : plain;
    if (openFiles.has(paths.database)) {
      throw new CleanRoomError(
        'invalid_argument',
        `Cannot open the room of collaboration ${collaborationId}: another engine in this process has it open`,
        { details: { collaborationId } },
      );
    }
    openFiles.add(paths.database);
    let keys: RoomKeys;
    try {
      if (found === undefined) keys = await createRoom(paths, collaborationId, settings);
      else {
        keys = found;
        if (sealed) await openSealedRoom({ collaborationId, paths, keys, settings });
      }
    } catch (error) {
      openFiles.delete(paths.database);
      throw error;
    }
    return new DuckDbRoom({ collaborationId, paths, keys, settings }, { parser: getParser, serializer: getSerializer }, () => {
      rooms.delete(collaborationId);
      openFiles.delete(paths.database);
    });
  }

  return {
    openRoom(collaborationId: string, openOptions: OpenRoomOptions = {}): Promise<RoomStore> {
      if (closed) return Promise.reject(new CleanRoomError('invalid_argument', 'Cannot open a room: the engine was closed'));
      let room = rooms.get(collaborationId);
      if (room === undefined) {
        room = open(collaborationId, openOptions.create === true);
        rooms.set(collaborationId, room);
        room.catch(() => rooms.delete(collaborationId));
      }
      return room;
    },
    roomExists(collaborationId: string): Promise<boolean> {
      return fileExists(roomPaths(settings.dataDir, collaborationId).keys);
    },
    async destroyRoom(collaborationId: string): Promise<void> {
      const pending = rooms.get(collaborationId);
      const open = pending === undefined ? undefined : await pending.catch(() => undefined);
      if (open !== undefined) return open.destroy();
      // Not open (or it cannot be: a damaged file is deleted all the same).
      await shredRoom(roomPaths(settings.dataDir, collaborationId, settings.workDir));
    },
    async close(): Promise<void> {
      closed = true;
      const open = await Promise.allSettled(rooms.values());
      for (const result of open) if (result.status === 'fulfilled') await result.value.close();
      if (parser !== undefined) (await parser).close();
      if (serializer !== undefined) (await serializer).close();
      parser = undefined;
      serializer = undefined;
    },
  };
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
