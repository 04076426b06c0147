import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CleanRoomError } from '../../core/errors.js';
import { emptyBlindRecord } from '../../core/ingest/blind-exchange-store.js';
import type { BlindExchangeStore, BlindRecord, StagedSingles, StageSinglesOptions } from '../../core/ingest/blind-exchange-store.js';
import { locateCells, replaceWithDoubles, shuffledSingles } from '../../engine/duckdb/blind-staging.js';
import type { UploadSource } from '../../core/ingest/upload-dataset.js';
import { removeTemporaries, WriteQueue } from './atomic-json.js';
import { readRecord, writeRecord } from './sealed-record.js';
import type { StoreCipher } from '../keys/store-cipher.js';
import { sealStream } from '../../crypto/sealed-format.js';
import { unsealFile } from '../../crypto/sealed-file.js';

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** How a sealed blind store keeps its files: the cipher, and the RAM-backed dir for plaintext. */
export interface BlindSealing {
  cipher: StoreCipher;
  workDir: string;
}

/**
 * The double-blind exchange of each collaboration in a private directory
 * (`<dir>/<collaboration>/`, mode 0700): `record.json` (replaced atomically on each write,
 * writes to one collaboration in order), and per waiting upload a directory with the upload
 * as received (`upload.csv`, or `upload.sealed` when sealed) and one JSON file per value
 * list, each written atomically and mode 0600; staging and the final replacement run in a
 * scratch DuckDB spilling beside the upload, or in the RAM-backed work dir when sealed (see
 * engine/duckdb/blind-staging.ts). A damaged record is refused, never started over.
 *
 * @example
 * ```ts
 * const store = await FileBlindExchangeStore.open(join(dataDir, 'blind'));
 * ```
 */
export class FileBlindExchangeStore implements BlindExchangeStore {
  readonly #dir: string;
  readonly #queue = new WriteQueue();
  readonly #sealing: BlindSealing | undefined;

  private constructor(dir: string, sealing: BlindSealing | undefined) {
    this.#dir = dir;
    this.#sealing = sealing;
  }

  /**
   * Opens (creating it, mode 0700) the directory. With `sealing`, every file is sealed
   * under the collaboration's key (the upload as `upload.sealed`) and the plaintext that
   * DuckDB reads and spills while staging lives only in `sealing.workDir` (RAM-backed).
   */
  static async open(dir: string, sealing?: BlindSealing): Promise<FileBlindExchangeStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new FileBlindExchangeStore(dir, sealing);
  }

  async read(collaboration: string): Promise<BlindRecord> {
    const path = join(this.#collaborationDir(collaboration), 'record.json');
    let text: string;
    try {
      text = await readRecord(this.#sealing?.cipher, path, collaboration, 'blind-record');
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
    await this.#queue.run(collaboration, () => writeRecord(this.#sealing?.cipher, join(dir, 'record.json'), collaboration, 'blind-record', record));
  }

  async keepUpload(collaboration: string, upload: string, source: UploadSource): Promise<void> {
    const dir = await this.#ensure(this.#uploadDir(collaboration, upload));
    const cipher = this.#sealing?.cipher;
    const path = join(dir, cipher === undefined ? 'upload.csv' : 'upload.sealed');
    await rm(path, { force: true });
    try {
      if (cipher !== undefined) {
        const seal = await cipher.fileKey(collaboration, `blind-upload/${upload}`);
        await pipeline(typeof source === 'string' ? createReadStream(source) : Readable.from(source), sealStream(seal.key, seal.label), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      } else if (typeof source === 'string') await copyFile(source, path);
      else await pipeline(Readable.from(source), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /** The upload as DuckDB reads it: the kept file, or a sealed one opened into the scratch dir. */
  async #plainUpload(collaboration: string, upload: string): Promise<string> {
    const cipher = this.#sealing?.cipher;
    if (cipher === undefined) return join(this.#uploadDir(collaboration, upload), 'upload.csv');
    const plain = join(await this.#scratch(collaboration, upload), 'upload.csv');
    const sealed = join(this.#uploadDir(collaboration, upload), 'upload.sealed');
    try {
      await unsealFile(await cipher.fileKey(collaboration, `blind-upload/${upload}`), sealed, plain);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CleanRoomError('not_found', `Cannot find upload ${upload} of the double-blind exchange`);
      throw error;
    }
    return plain;
  }

  /**
   * DuckDB takes the distinct and the secret order (spilling to the upload's directory), the
   * values stream through `check` line by line into the batch lists: memory stays flat in
   * the upload's size.
   */
  async stageSingles(collaboration: string, upload: string, options: StageSinglesOptions): Promise<StagedSingles> {
    const { columns, batchSize, check, maxProblems = 20 } = options;
    const dir = this.#uploadDir(collaboration, upload);
    const scratch = await this.#scratch(collaboration, upload);
    const list = join(scratch, 'shuffled.txt');
    const input = { upload: await this.#plainUpload(collaboration, upload), columns, tempDirectory: await this.#ensure(join(scratch, 'spill')) };
    try {
      const { rows, present, count } = await shuffledSingles(input, list, randomBytes(16).toString('hex'));
      const bad: { value: string; reason: string }[] = [];
      let batch: string[] = [];
      let batches = 0;
      for await (const value of createInterface({ input: createReadStream(list), crlfDelay: Infinity })) {
        const reason = check(value);
        if (reason !== undefined) {
          bad.push({ value, reason });
          if (bad.length >= maxProblems) break;
          continue;
        }
        if (bad.length > 0) continue;
        batch.push(value);
        if (batch.length === batchSize) {
          await this.putValues(collaboration, upload, `singles-${batches++}`, batch);
          batch = [];
        }
      }
      if (bad.length === 0 && batch.length > 0) await this.putValues(collaboration, upload, `singles-${batches++}`, batch);
      // The secret order may put good values before the first bad one: their lists go too.
      if (bad.length > 0) for (let i = 0; i < batches; i++) await rm(join(dir, `singles-${i}.json`), { force: true });
      const why = new Map(bad.map((b) => [b.value, b.reason]));
      const problems = (await locateCells(input, [...why.keys()], maxProblems)).map(({ value, ...at }) => ({ ...at, reason: `not a blinded identifier: ${why.get(value)!}` }));
      return { rows, present, count, batches: bad.length > 0 ? 0 : batches, problems };
    } finally {
      await rm(list, { force: true });
      await rm(input.tempDirectory, { recursive: true, force: true });
      if (this.#sealing !== undefined) await rm(input.upload, { force: true });
    }
  }

  /** The pairs of every batch streamed to a file, then DuckDB's join writes the loadable CSV beside the upload. */
  async loadableUpload(collaboration: string, upload: string, options: { columns: readonly string[]; batches: number }): Promise<UploadSource> {
    const scratch = await this.#scratch(collaboration, upload);
    const pairs = join(scratch, 'pairs.csv');
    const out = createWriteStream(pairs, { mode: 0o600 });
    try {
      for (let i = 0; i < options.batches; i++) {
        const [singles, doubles] = [await this.getValues(collaboration, upload, `singles-${i}`), await this.getValues(collaboration, upload, `doubles-${i}`)];
        if (!out.write(singles.map((single, at) => `${single},${doubles[at]!}\n`).join(''))) await once(out, 'drain');
      }
    } finally {
      out.end();
      await once(out, 'close');
    }
    const loadable = join(scratch, 'loadable.csv');
    const plain = await this.#plainUpload(collaboration, upload);
    try {
      await replaceWithDoubles({ upload: plain, columns: options.columns, tempDirectory: await this.#ensure(join(scratch, 'spill')) }, pairs, loadable);
    } finally {
      await rm(pairs, { force: true });
      await rm(join(scratch, 'spill'), { recursive: true, force: true });
      if (this.#sealing !== undefined) await rm(plain, { force: true });
    }
    return loadable;
  }

  async putValues(collaboration: string, upload: string, list: string, values: readonly string[]): Promise<void> {
    const dir = await this.#ensure(this.#uploadDir(collaboration, upload));
    await writeRecord(this.#sealing?.cipher, join(dir, `${safe(list, 'list')}.json`), collaboration, `blind-list/${upload}/${list}`, values);
  }

  async getValues(collaboration: string, upload: string, list: string): Promise<string[]> {
    const path = join(this.#uploadDir(collaboration, upload), `${safe(list, 'list')}.json`);
    try {
      return JSON.parse(await readRecord(this.#sealing?.cipher, path, collaboration, `blind-list/${upload}/${list}`)) as string[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CleanRoomError('not_found', `Cannot find the list ${list} of upload ${upload} of the double-blind exchange`);
      throw error;
    }
  }

  async removeUpload(collaboration: string, upload: string): Promise<void> {
    await rm(this.#uploadDir(collaboration, upload), { recursive: true, force: true });
    await rm(this.#scratchDir(collaboration, upload), { recursive: true, force: true });
  }

  async remove(collaboration: string): Promise<void> {
    const dir = this.#collaborationDir(collaboration);
    await this.#queue.run(collaboration, async () => {
      await rm(dir, { recursive: true, force: true });
      if (this.#sealing !== undefined) await rm(join(this.#sealing.workDir, safe(collaboration, 'collaboration')), { recursive: true, force: true });
    });
  }

  /**
   * The scratch dir, made (not swept: in plain mode it is the upload's own dir, where an
   * answer's list may be being written).
   */
  async #scratch(collaboration: string, upload: string): Promise<string> {
    const dir = this.#scratchDir(collaboration, upload);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** Where the plaintext of staging lives: the RAM-backed work dir when sealed, else the upload's dir. */
  #scratchDir(collaboration: string, upload: string): string {
    if (this.#sealing === undefined) return this.#uploadDir(collaboration, upload);
    return join(this.#sealing.workDir, safe(collaboration, 'collaboration'), safe(upload, 'upload'));
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
}

function safe(id: string, what: string): string {
  if (!SAFE_ID.test(id)) {
    throw new CleanRoomError('invalid_argument', `Cannot keep a double-blind exchange for ${what} ${JSON.stringify(id.slice(0, 120))}: an id is 1 to 100 letters, digits, _ or -`);
  }
  return id;
}
