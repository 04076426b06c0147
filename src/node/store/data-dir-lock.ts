import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CleanRoomError } from '../../core/errors.js';

/** Who holds the lock: written beside it, so a restart after a crash need not wait for it to go stale. */
interface LockOwner {
  pid: number;
  host: string;
}

/**
 * Holds a data directory for one server process. The stores in it (collaborations, runs,
 * the privacy ledger, audit logs, uploads in progress) assume a single writer: two servers on
 * one directory could each charge the same budget, and the second would delete the first's
 * uploads in progress as stale.
 *
 * proper-lockfile keeps `<dir>/server.lock` (a directory, made atomically) fresh while we run
 * and treats it as stale after `staleMs` without a refresh. It cannot tell that its holder is
 * dead, so the holder's pid and host go in `server.lock.owner`: a lock whose holder was on
 * this host and is no longer running (a server killed with SIGKILL, restarted at once) is
 * removed and taken. (Two servers starting at the same moment over one such dead lock could
 * both remove it; the window is the few milliseconds between reading the owner and taking.)
 *
 * @example
 * ```ts
 * const lock = await lockDataDir('.cleanroom', { onLost: (error) => logger.fatal(error) });
 * await lock.release();
 * ```
 */
export async function lockDataDir(dataDir: string, options: { onLost: (error: Error) => void; staleMs?: number }): Promise<{ release: () => Promise<void> }> {
  const { onLost, staleMs = 60_000 } = options;
  const lockPath = join(dataDir, 'server.lock');
  const ownerPath = `${lockPath}.owner`;
  const take = () => lockfile.lock(dataDir, { lockfilePath: lockPath, stale: staleMs, update: Math.floor(staleMs / 6), retries: 0, realpath: false, onCompromised: onLost });
  let unlock: () => Promise<void>;
  try {
    unlock = await take();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    if (!(await holderIsGone(ownerPath))) {
      throw new CleanRoomError('conflict', `Cannot use data dir ${dataDir}: another cleanroom server holds it (${lockPath}, refreshed within the last ${staleMs / 1000} s). Stop that server, or use another --data-dir`, {
        details: { field: 'dataDir' },
      });
    }
    await rm(lockPath, { recursive: true, force: true });
    unlock = await take();
  }
  const owner: LockOwner = { pid: process.pid, host: hostname() };
  await writeFile(ownerPath, JSON.stringify(owner), { mode: 0o600 });
  return {
    release: async () => {
      await rm(ownerPath, { force: true });
      await unlock();
    },
  };
}

/**
 * True when a live server holds the data dir (a fresh lock whose holder is not known to be
 * gone): for the demo, which wipes its directory before it starts a server there.
 *
 * @example
 * ```ts
 * if (await dataDirHeld('.cleanroom/demo/server')) throw new Error('a demo is running');
 * ```
 */
export async function dataDirHeld(dataDir: string, staleMs = 60_000): Promise<boolean> {
  const lockPath = join(dataDir, 'server.lock');
  try {
    if (!(await lockfile.check(dataDir, { lockfilePath: lockPath, stale: staleMs, realpath: false }))) return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  return !(await holderIsGone(`${lockPath}.owner`));
}

/** True when the lock's recorded holder ran on this host and no process has its pid now. */
async function holderIsGone(ownerPath: string): Promise<boolean> {
  let owner: LockOwner;
  try {
    owner = JSON.parse(await readFile(ownerPath, 'utf8')) as LockOwner;
  } catch {
    return false; // no record (yet): the holder may be starting; let the lock go stale instead
  }
  if (owner.host !== hostname() || !Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
