import { mkdir } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { engineError } from './engine-failure.js';
import { attachRoom, createInstance, lockDown } from './instance-setup.js';
import { sealRoom } from './sealed-room.js';
import type { RoomContext } from './room-context.js';

/**
 * Run work on a short-lived writer of a room: an in-memory instance that attaches the room
 * read-write (with its data key), locked down to the room's temp directory and the given
 * files, checkpointed and closed when the work ends; a sealed room is then sealed back to
 * disk before this returns. The caller must hold the room's exclusive lock: no other
 * instance may have the file open meanwhile.
 *
 * @example
 * ```ts
 * await withWriter(context, { allowedPaths: ['/uploads/a.csv'] }, (connection) => connection.run('...'));
 * ```
 */
export async function withWriter<T>(
  context: RoomContext,
  options: { allowedPaths?: readonly string[]; seal?: boolean },
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const { paths, keys, settings, collaborationId } = context;
  await mkdir(paths.temp, { recursive: true, mode: 0o700 });
  const instance = await createInstance(settings.writer, paths.temp, settings);
  let result: T;
  try {
    const connection = await instance.connect();
    try {
      try {
        await connection.run("SET GLOBAL TimeZone = 'UTC'");
        await attachRoom(connection, paths.database, { readOnly: false });
        await lockDown(connection, { allowedDirectories: [paths.temp], allowedPaths: options.allowedPaths ?? [] });
      } catch (error) {
        throw engineError(error, `Cannot open the room of collaboration ${collaborationId} for writing: the engine failed`);
      }
      result = await work(connection);
      // Folding the WAL into the file now means the read-only sandbox never has to replay it.
      await connection.run('CHECKPOINT').catch((error: unknown) => {
        throw engineError(error, `Cannot checkpoint the room of collaboration ${collaborationId}: the engine failed after the change was committed`);
      });
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  // Only a committed, checkpointed change is sealed: a crash before the rename keeps the last one.
  if (keys.encryptedAtRest) {
    if (options.seal === false) context.unsealed = true;
    else await sealRoom(context);
  }
  return result;
}
