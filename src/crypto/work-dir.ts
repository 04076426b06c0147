import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CleanRoomError } from '../core/errors.js';

/** The RAM-backed file system of Linux, where plaintext working copies may live. */
const SHARED_MEMORY = '/dev/shm';

/**
 * The private RAM-backed directory that holds one data dir's plaintext while the server
 * runs (open rooms, upload spools, DuckDB spill): `/dev/shm/cleanroom-<uid>/<digest of
 * the data dir>`, so two data dirs never share one and nothing there outlives a reboot.
 * `given` (the operator's `--work-dir`) wins; without it and without /dev/shm, it fails,
 * because a work dir on disk would undo encryption at rest.
 *
 * @example
 * ```ts
 * workDirFor('/var/cleanroom'); // '/dev/shm/cleanroom-1000/3f2a…'
 * ```
 */
export function workDirFor(dataDir: string, given?: string): string {
  if (given !== undefined && given !== '') return resolve(given);
  if (!existsSync(SHARED_MEMORY)) {
    throw new CleanRoomError(
      'invalid_argument',
      `Cannot keep rooms encrypted at rest: ${SHARED_MEMORY} does not exist here, so there is no RAM-backed directory for open rooms; name one with --work-dir (a tmpfs mount, mode 0700)`,
      { details: { field: 'workDir' } },
    );
  }
  const digest = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(SHARED_MEMORY, `cleanroom-${process.getuid?.() ?? 'user'}`, digest);
}
