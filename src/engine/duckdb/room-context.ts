import type { EngineSettings } from './engine-settings.js';
import type { RoomKeys } from './room-keys.js';
import type { RoomPaths } from './room-paths.js';

/**
 * Everything the writer and the sandbox of one room need: who, where, which keys, which
 * engine settings.
 *
 * @example
 * ```ts
 * const context: RoomContext = { collaborationId: 'collab-7', paths, keys, settings };
 * ```
 */
export interface RoomContext {
  collaborationId: string;
  paths: RoomPaths;
  keys: RoomKeys;
  settings: EngineSettings;
  /** A sealed room whose working copy holds a change not sealed yet (a non-durable execute). */
  unsealed?: boolean;
}
