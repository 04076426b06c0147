import { CleanRoomError } from '../errors.js';
import type { BlindedCellProblem } from '../identity/blind/exchange/blinded-csv.js';
import { readSingles, replaceSingles } from '../identity/blind/exchange/blinded-csv.js';
import type { ExchangeState } from '../identity/blind/exchange/exchange-state.js';
import { shuffled } from '../identity/blind/exchange/exchange-state.js';
import type { UploadSource } from './upload-dataset.js';

/** One upload of a double-blind collaboration, waiting for the other party's blinding. */
export interface BlindUploadRecord {
  /** The store's name of the upload: `<upload>-<dataset>`. */
  name: string;
  dataset: string;
  /** The upload's number among this dataset's double-blind uploads (1, 2, …). */
  upload: number;
  owner: string;
  /** The key id the owner uploaded with (the actor of the load, audited). */
  ownerKeyId: string;
  /** The identifier columns of the upload, by header name. */
  columns: string[];
  rows: number;
  at: string;
  exchange: ExchangeState;
}

/** Everything the room keeps of one collaboration's double-blind exchange, values aside. */
export interface BlindRecord {
  /** Each party's key check (hex), registered with its first upload or sync. */
  keyChecks: Record<string, string>;
  uploads: BlindUploadRecord[];
  /** The last upload number given per dataset. */
  lastUpload: Record<string, number>;
}

/** Options of `stageSingles`. */
export interface StageSinglesOptions {
  /** The identifier columns the template declares (those the header has are read). */
  columns: readonly string[];
  batchSize: number;
  /** Why a value cannot be a singly blinded identifier, or undefined. */
  check: (value: string) => string | undefined;
  maxProblems?: number;
}

/** What `stageSingles` found. */
export interface StagedSingles {
  rows: number;
  /** The identifier columns the upload's header has. */
  present: string[];
  /** Distinct singles, cut into `batches` lists `singles-<i>`. */
  count: number;
  batches: number;
  /** Refused cells (at most `maxProblems`), where they are and why: the upload must then be refused whole. */
  problems: BlindedCellProblem[];
}

/**
 * Where the room keeps the double-blind exchange of each collaboration: a small record
 * (key checks, the waiting uploads and their batches' checks), and beside it, per waiting
 * upload, the upload as received and its value lists (`singles-<i>`, `doubles-<i>`: one
 * list per batch, so a batch answered costs its own size, never the upload's). Singly
 * blinded values stay here only until the other party has blinded them: `removeUpload`
 * once loaded. Implemented by `MemoryBlindExchangeStore` and `node/store/FileBlindExchangeStore`;
 * both pass `testing/blind-exchange-store-contract.ts`. The caller serialises
 * read-modify-write cycles of one collaboration (its lock).
 *
 * @example
 * ```ts
 * const record = await store.read('c_1'); // an empty record for a new collaboration
 * await store.putValues('c_1', '1-a_keys', 'singles-0', slice);
 * await store.write('c_1', { ...record, keyChecks: { ...record.keyChecks, p_a: check } });
 * ```
 */
export interface BlindExchangeStore {
  read(collaboration: string): Promise<BlindRecord>;
  write(collaboration: string, record: BlindRecord): Promise<void>;
  /** Keep the upload as it arrives (a file path, or its bytes). */
  keepUpload(collaboration: string, upload: string, source: UploadSource): Promise<void>;
  /**
   * Reads the kept upload's singles: every distinct non-empty identifier cell, checked, in a
   * secret random order (so a position says nothing about the owner's rows), cut into lists
   * `singles-<i>` of `batchSize`. With any problem, no list is kept.
   */
  stageSingles(collaboration: string, upload: string, options: StageSinglesOptions): Promise<StagedSingles>;
  /**
   * The kept upload with each single replaced by its double (lists `singles-<i>` and
   * `doubles-<i>` of `batches`), to load like a hashed upload: a file path or the bytes.
   */
  loadableUpload(collaboration: string, upload: string, options: { columns: readonly string[]; batches: number }): Promise<UploadSource>;
  putValues(collaboration: string, upload: string, list: string, values: readonly string[]): Promise<void>;
  /** A list kept; `not_found` when there is none. */
  getValues(collaboration: string, upload: string, list: string): Promise<string[]>;
  /** Forget one upload's text and lists (loaded, superseded or failed). */
  removeUpload(collaboration: string, upload: string): Promise<void>;
  /** Forget the collaboration's exchange (it was deleted or its retention ended). */
  remove(collaboration: string): Promise<void>;
}

/**
 * The record of a collaboration with no double-blind upload yet.
 *
 * @example
 * ```ts
 * emptyBlindRecord(); // { keyChecks: {}, uploads: [], lastUpload: {} }
 * ```
 */
export function emptyBlindRecord(): BlindRecord {
  return { keyChecks: {}, uploads: [], lastUpload: {} };
}

/**
 * A `BlindExchangeStore` in memory, for tests and single-process hosts; it keeps copies,
 * so a caller's later change to an object never reaches the store unwritten. It takes an
 * upload's bytes only (it cannot open a file path).
 *
 * @example
 * ```ts
 * const store = new MemoryBlindExchangeStore();
 * ```
 */
export class MemoryBlindExchangeStore implements BlindExchangeStore {
  readonly #records = new Map<string, string>();
  readonly #files = new Map<string, string>();

  async read(collaboration: string): Promise<BlindRecord> {
    const text = this.#records.get(collaboration);
    return text === undefined ? emptyBlindRecord() : (JSON.parse(text) as BlindRecord);
  }

  async write(collaboration: string, record: BlindRecord): Promise<void> {
    this.#records.set(collaboration, JSON.stringify(record));
  }

  async keepUpload(collaboration: string, upload: string, source: UploadSource): Promise<void> {
    if (typeof source === 'string') throw new CleanRoomError('internal', 'Cannot keep an upload by path in memory: pass its bytes');
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of source) text += decoder.decode(chunk, { stream: true });
    this.#files.set(`${collaboration}/${upload}/upload`, text + decoder.decode());
  }

  async stageSingles(collaboration: string, upload: string, options: StageSinglesOptions): Promise<StagedSingles> {
    const { columns, batchSize, check, maxProblems = 20 } = options;
    const read = readSingles(this.#get(`${collaboration}/${upload}/upload`, `the upload ${upload}`), { columns, file: 'the upload', check, maxProblems });
    const staged = { rows: read.rows, present: read.present, count: read.singles.length, problems: read.problems };
    if (read.problems.length > 0) return { ...staged, batches: 0 };
    const singles = shuffled(read.singles);
    let batches = 0;
    for (let at = 0; at < singles.length; at += batchSize, batches++) await this.putValues(collaboration, upload, `singles-${batches}`, singles.slice(at, at + batchSize));
    return { ...staged, batches };
  }

  async loadableUpload(collaboration: string, upload: string, options: { columns: readonly string[]; batches: number }): Promise<UploadSource> {
    const doubles = new Map<string, string>();
    for (let i = 0; i < options.batches; i++) {
      const [singles, answered] = [await this.getValues(collaboration, upload, `singles-${i}`), await this.getValues(collaboration, upload, `doubles-${i}`)];
      singles.forEach((single, at) => doubles.set(single, answered[at]!));
    }
    const text = replaceSingles(this.#get(`${collaboration}/${upload}/upload`, `the upload ${upload}`), { columns: options.columns, doubles });
    return (async function* () {
      yield new TextEncoder().encode(text);
    })();
  }

  async putValues(collaboration: string, upload: string, list: string, values: readonly string[]): Promise<void> {
    this.#files.set(`${collaboration}/${upload}/${list}`, JSON.stringify(values));
  }

  async getValues(collaboration: string, upload: string, list: string): Promise<string[]> {
    return JSON.parse(this.#get(`${collaboration}/${upload}/${list}`, `the list ${list} of upload ${upload}`)) as string[];
  }

  async removeUpload(collaboration: string, upload: string): Promise<void> {
    for (const key of [...this.#files.keys()]) if (key.startsWith(`${collaboration}/${upload}/`)) this.#files.delete(key);
  }

  async remove(collaboration: string): Promise<void> {
    this.#records.delete(collaboration);
    for (const key of [...this.#files.keys()]) if (key.startsWith(`${collaboration}/`)) this.#files.delete(key);
  }

  #get(key: string, what: string): string {
    const found = this.#files.get(key);
    if (found === undefined) throw new CleanRoomError('not_found', `Cannot find ${what} of the double-blind exchange`);
    return found;
  }
}
