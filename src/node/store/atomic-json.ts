import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../crypto/sealed-file.js';

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
  await writeFileAtomic(path, JSON.stringify(value));
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
