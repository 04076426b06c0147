import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CleanRoomError } from '../../core/errors.js';
import { emptyBlindRecord } from '../../core/ingest/blind-exchange-store.js';
import type { BlindExchangeStore, BlindRecord } from '../../core/ingest/blind-exchange-store.js';
import type { UploadSource } from '../../core/ingest/upload-dataset.js';
import { removeTemporaries, WriteQueue, writeJsonAtomic } from './atomic-json.js';

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The double-blind exchange of each collaboration in a private directory
 * (`<dir>/<collaboration>/`, mode 0700): `record.json` (replaced atomically on each write,
 * writes to one collaboration in order), and per waiting upload a directory with the upload
 * as received (`upload.csv`) and one JSON file per value list, each written atomically and
 * mode 0600. A damaged record is refused, never started over.
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

  /** Opens (creating it, mode 0700) the directory. */
  static async open(dir: string): Promise<FileBlindExchangeStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new FileBlindExchangeStore(dir);
  }

  async read(collaboration: string): Promise<BlindRecord> {
    const path = join(this.#collaborationDir(collaboration), 'record.json');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyBlindRecord();
      throw error;
    }
    try {
      const record = JSON.parse(text) as BlindRecord;
      if (typeof record !== 'object' || record === null || !Array.isArray(record.uploads) || typeof record.keyChecks !== 'object' || typeof record.lastUpload !== 'object') throw new Error('not a double-blind record');
      return record;
    } catch (error) {
      throw new CleanRoomError('internal', `Cannot read the double-blind exchange of ${collaboration} from ${path}: ${(error as Error).message}; no double-blind upload or sync of it can proceed`, {
        details: { file: path },
      });
    }
  }

  async write(collaboration: string, record: BlindRecord): Promise<void> {
    const dir = await this.#ensure(this.#collaborationDir(collaboration));
    await this.#queue.run(collaboration, () => writeJsonAtomic(join(dir, 'record.json'), record));
  }

  async keepUpload(collaboration: string, upload: string, source: UploadSource): Promise<void> {
    const dir = await this.#ensure(this.#uploadDir(collaboration, upload));
    const path = join(dir, 'upload.csv');
    await rm(path, { force: true });
    try {
      if (typeof source === 'string') await copyFile(source, path);
      else await pipeline(Readable.from(source), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  async uploadText(collaboration: string, upload: string): Promise<string> {
    return this.#readOrMissing(join(this.#uploadDir(collaboration, upload), 'upload.csv'), `the upload ${upload}`);
  }

  async putValues(collaboration: string, upload: string, list: string, values: readonly string[]): Promise<void> {
    const dir = await this.#ensure(this.#uploadDir(collaboration, upload));
    await writeJsonAtomic(join(dir, `${safe(list, 'list')}.json`), values);
  }

  async getValues(collaboration: string, upload: string, list: string): Promise<string[]> {
    const text = await this.#readOrMissing(join(this.#uploadDir(collaboration, upload), `${safe(list, 'list')}.json`), `the list ${list} of upload ${upload}`);
    return JSON.parse(text) as string[];
  }

  async removeUpload(collaboration: string, upload: string): Promise<void> {
    await rm(this.#uploadDir(collaboration, upload), { recursive: true, force: true });
  }

  async remove(collaboration: string): Promise<void> {
    const dir = this.#collaborationDir(collaboration);
    await this.#queue.run(collaboration, () => rm(dir, { recursive: true, force: true }));
  }

  #collaborationDir(collaboration: string): string {
    return join(this.#dir, safe(collaboration, 'collaboration'));
  }

  #uploadDir(collaboration: string, upload: string): string {
    return join(this.#collaborationDir(collaboration), safe(upload, 'upload'));
  }

  async #ensure(dir: string): Promise<string> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await removeTemporaries(dir);
    return dir;
  }

  async #readOrMissing(path: string, what: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CleanRoomError('not_found', `Cannot find ${what} of the double-blind exchange`);
      throw error;
    }
  }
}

function safe(id: string, what: string): string {
  if (!SAFE_ID.test(id)) {
    throw new CleanRoomError('invalid_argument', `Cannot keep a double-blind exchange for ${what} ${JSON.stringify(id.slice(0, 120))}: an id is 1 to 100 letters, digits, _ or -`);
  }
  return id;
}
