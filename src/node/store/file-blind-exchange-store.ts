import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';
import { emptyBlindRecord } from '../../core/ingest/blind-exchange-store.js';
import type { BlindExchangeStore, BlindRecord } from '../../core/ingest/blind-exchange-store.js';
import { removeTemporaries, WriteQueue, writeJsonAtomic } from './atomic-json.js';

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The double-blind exchange of each collaboration as one private JSON file
 * (`<dir>/<collaboration>.json`, mode 0600 in a 0700 directory), replaced atomically on each
 * write, writes to one file in order.
 *
 * @example
 * ```ts
 * const store = await FileBlindExchangeStore.open(join(dataDir, 'blind'));
 * ```
 */
export class FileBlindExchangeStore implements BlindExchangeStore {
  readonly #dir: string;
  readonly #queue = new WriteQueue();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** Opens (creating it, mode 0700) the directory, removing what a crash left mid-write. */
  static async open(dir: string): Promise<FileBlindExchangeStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await removeTemporaries(dir);
    return new FileBlindExchangeStore(dir);
  }

  async read(collaboration: string): Promise<BlindRecord> {
    const path = this.#path(collaboration);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyBlindRecord();
      throw error;
    }
    try {
      const record = JSON.parse(text) as BlindRecord;
      if (typeof record !== 'object' || record === null || !Array.isArray(record.uploads) || typeof record.keyChecks !== 'object') throw new Error('not a double-blind record');
      return record;
    } catch (error) {
      throw new CleanRoomError('internal', `Cannot read the double-blind exchange of ${collaboration} from ${path}: ${(error as Error).message}; no double-blind upload or sync of it can proceed`, {
        details: { file: path },
      });
    }
  }

  async write(collaboration: string, record: BlindRecord): Promise<void> {
    const path = this.#path(collaboration);
    await this.#queue.run(collaboration, () => writeJsonAtomic(path, record));
  }

  async remove(collaboration: string): Promise<void> {
    const path = this.#path(collaboration);
    await this.#queue.run(collaboration, () => rm(path, { force: true }));
  }

  #path(collaboration: string): string {
    if (!SAFE_ID.test(collaboration)) {
      throw new CleanRoomError('invalid_argument', `Cannot keep a double-blind exchange for collaboration ${JSON.stringify(collaboration.slice(0, 120))}: an id is 1 to 100 letters, digits, _ or -`);
    }
    return join(this.#dir, `${collaboration}.json`);
  }
}
