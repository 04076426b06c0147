import { CleanRoomError } from '../errors.js';
import type { ExchangeState } from '../identity/blind/exchange/exchange-state.js';
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
  /** The upload kept, as text. */
  uploadText(collaboration: string, upload: string): Promise<string>;
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

  async uploadText(collaboration: string, upload: string): Promise<string> {
    return this.#get(`${collaboration}/${upload}/upload`, `the upload ${upload}`);
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
