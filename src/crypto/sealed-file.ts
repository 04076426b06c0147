import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sealStream, unsealStream } from './sealed-format.js';

/** A data key and the label a sealed file is bound to. */
export interface SealKey {
  key: Uint8Array;
  label: string;
}

/** The temporary name a sealed file is written under before it is renamed in place. */
function temporaryOf(path: string): string {
  return join(dirname(path), `.tmp-${basename(path)}-${randomBytes(6).toString('hex')}`);
}

/**
 * fsync a directory, so that a file created or renamed in it survives a power cut by name.
 *
 * @example
 * ```ts
 * await syncDirectory(dirname(path));
 * ```
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync a file's data, so what was written survives a power cut. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Seals the file at `plainPath` into `sealedPath`, atomically: sealed beside the target,
 * flushed to disk, renamed over it. A crash leaves the old sealed file or the new one.
 *
 * @example
 * ```ts
 * await sealFile({ key: dataKey, label: 'room:c_1' }, '/dev/shm/…/room.duckdb', '/data/collaborations/c_1/room.sealed');
 * ```
 */
export async function sealFile(seal: SealKey, plainPath: string, sealedPath: string): Promise<void> {
  const temporary = temporaryOf(sealedPath);
  try {
    await pipeline(createReadStream(plainPath, { highWaterMark: 1 << 20 }), sealStream(seal.key, seal.label), createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
    await syncFile(temporary);
    await rename(temporary, sealedPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(sealedPath));
}

/**
 * Opens the sealed file at `sealedPath` into `plainPath` (mode 0600). Every chunk is
 * authenticated; on a tampered or truncated file it fails naming the file, and the
 * partial plaintext is removed.
 *
 * @example
 * ```ts
 * await unsealFile({ key: dataKey, label: 'room:c_1' }, '/data/collaborations/c_1/room.sealed', '/dev/shm/…/room.duckdb');
 * ```
 */
export async function unsealFile(seal: SealKey, sealedPath: string, plainPath: string): Promise<void> {
  await rm(plainPath, { force: true });
  try {
    await pipeline(createReadStream(sealedPath, { highWaterMark: 1 << 20 }), unsealStream(seal.key, seal.label, sealedPath), createWriteStream(plainPath, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(plainPath, { force: true });
    throw error;
  }
}

/**
 * Writes bytes to a file atomically: a private temporary file beside it (mode 0600, named
 * `.tmp-…` so stores sweep one a crash left), flushed to disk, then renamed over the
 * target, so a crash leaves the old content or the new, never half. The one such writer:
 * store records, sealed records, key files, the master check and the at-rest marker.
 *
 * @example
 * ```ts
 * await writeFileAtomic('/data/keys/c_1.store.json', JSON.stringify(file));
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = temporaryOf(path);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, path);
}
