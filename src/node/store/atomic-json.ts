import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const TEMP_PREFIX = '.tmp-';

/**
 * Removes the temporary files a crash left in `dir` mid-write (their targets are intact).
 *
 * @example
 * ```ts
 * await removeTemporaries('/data/store');
 * ```
 */
export async function removeTemporaries(dir: string): Promise<void> {
  for (const file of await readdir(dir)) if (file.startsWith(TEMP_PREFIX)) await rm(join(dir, file), { force: true });
}

/**
 * Writes JSON to a file atomically: a private temporary file beside it, flushed to disk,
 * then renamed over the target, so a crash leaves the old or the new content, never half.
 *
 * @example
 * ```ts
 * await writeJsonAtomic('/data/store/parties.json', { parties: [] });
 * ```
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeBytesAtomic(path, Buffer.from(JSON.stringify(value), 'utf8'));
}

/**
 * Writes bytes to a file atomically, as {@link writeJsonAtomic} does (a sealed record).
 *
 * @example
 * ```ts
 * await writeBytesAtomic('/data/store/runs/c_1/r_1.json', sealed);
 * ```
 */
export async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
}

/**
 * Runs writes one after another per key, so two updates of the same file land in order.
 *
 * @example
 * ```ts
 * const queue = new WriteQueue();
 * await queue.run('c_1', () => writeJsonAtomic(path, value));
 * ```
 */
export class WriteQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}
