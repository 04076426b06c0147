import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';
import { sealFile, syncDirectory, unsealFile } from '../../crypto/sealed-file.js';
import type { SealKey } from '../../crypto/sealed-file.js';
import type { RoomContext } from './room-context.js';
import type { RoomPaths } from './room-paths.js';

/** The room's data key, bound to this room: a sealed file of one room opens in no other. */
function sealKeyOf(context: RoomContext): SealKey {
  return { key: context.keys.dataKey, label: `room:${context.collaborationId}` };
}

/**
 * Seal the room's working copy to `room.sealed`, atomically. If that fails (a full disk),
 * the working copy is put back to the last sealed state, so what the room serves is what
 * is on disk, and the write fails; with `restore: false` (a background persist, readers
 * still on the copy) it stays as it is, unsealed, for the next durable write.
 *
 * @example
 * ```ts
 * await sealRoom(context); // after the writer's checkpoint
 * ```
 */
export async function sealRoom(context: RoomContext, options: { restore?: boolean } = {}): Promise<void> {
  const { paths, collaborationId } = context;
  try {
    await sealFile(sealKeyOf(context), paths.database, paths.sealed);
    context.unsealed = false;
  } catch (error) {
    if (options.restore !== false) await openSealedRoom(context).catch(() => undefined);
    throw new CleanRoomError('io_error', `Cannot seal the room of collaboration ${collaborationId} to ${paths.sealed}: ${(error as Error).message}; the change was not kept`, {
      details: { collaborationId, file: paths.sealed },
      cause: error,
    });
  }
}

/**
 * Open a sealed room: its private work dir (mode 0700, any stale copy removed), then the
 * sealed file authenticated chunk by chunk into the working copy. A tampered, truncated
 * or foreign file fails naming it, and the sealed file is left as it was.
 *
 * @example
 * ```ts
 * await openSealedRoom(context); // before the first writer or sandbox
 * ```
 */
export async function openSealedRoom(context: RoomContext): Promise<void> {
  const { paths } = context;
  if (paths.work === undefined) return;
  await rm(paths.work, { recursive: true, force: true });
  await mkdir(dirname(paths.work), { recursive: true, mode: 0o700 });
  await mkdir(paths.work, { mode: 0o700 });
  try {
    await unsealFile(sealKeyOf(context), paths.sealed, paths.database);
    context.unsealed = false;
  } catch (error) {
    await rm(paths.work, { recursive: true, force: true });
    if (error instanceof CleanRoomError) {
      throw new CleanRoomError('io_error', `Cannot open the room of collaboration ${context.collaborationId}: ${error.message}`, { details: { collaborationId: context.collaborationId, file: paths.sealed }, cause: error });
    }
    throw new CleanRoomError('io_error', `Cannot open the room of collaboration ${context.collaborationId}: ${paths.sealed} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, {
      details: { collaborationId: context.collaborationId, file: paths.sealed },
      cause: error,
    });
  }
}

/**
 * Drop the plaintext working copy of a sealed room (when it closes).
 *
 * @example
 * ```ts
 * await dropWorkingCopy(paths);
 * ```
 */
export async function dropWorkingCopy(paths: RoomPaths): Promise<void> {
  if (paths.work !== undefined) await rm(paths.work, { recursive: true, force: true });
}

/**
 * Destroy a room, keys first (crypto-shredding): once the wrapped keys are gone and that
 * is on disk, every copy of the sealed file, in a backup too, is noise. Then the files.
 *
 * @example
 * ```ts
 * await shredRoom(paths);
 * ```
 */
export async function shredRoom(paths: RoomPaths): Promise<void> {
  await rm(paths.keys, { force: true });
  await syncDirectory(dirname(paths.keys)).catch(() => undefined);
  await rm(paths.dir, { recursive: true, force: true });
  await dropWorkingCopy(paths);
}
