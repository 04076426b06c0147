import type { ExchangeState } from '../identity/blind/exchange/exchange-state.js';

/** One upload of a double-blind collaboration, waiting for the other party's blinding. */
export interface BlindUploadRecord {
  dataset: string;
  /** The upload's number among this dataset's double-blind uploads (1, 2, …). */
  version: number;
  owner: string;
  /** The identifier columns of the upload, by header name. */
  columns: string[];
  /** The singly blinded upload as received, until the doubles replace its singles. */
  stagedText: string;
  exchange: ExchangeState;
}

/** Everything the room keeps of one collaboration's double-blind exchange. */
export interface BlindRecord {
  /** Each party's key check (hex), registered with its first upload. */
  keyChecks: Record<string, string>;
  uploads: BlindUploadRecord[];
}

/**
 * Where the room keeps the double-blind exchange of each collaboration, as plain JSON: the
 * singly blinded values stay here only until the other party has blinded them. Implemented
 * by `MemoryBlindExchangeStore` and `node/store/FileBlindExchangeStore`; both pass
 * `testing/blind-exchange-store-contract.ts`. The caller serialises read-modify-write
 * cycles of one collaboration (its lock).
 *
 * @example
 * ```ts
 * const record = await store.read('c_1'); // an empty record for a new collaboration
 * await store.write('c_1', { ...record, keyChecks: { ...record.keyChecks, p_a: check } });
 * ```
 */
export interface BlindExchangeStore {
  read(collaboration: string): Promise<BlindRecord>;
  write(collaboration: string, record: BlindRecord): Promise<void>;
  /** Forget the collaboration's exchange (it was deleted or its retention ended). */
  remove(collaboration: string): Promise<void>;
}

/**
 * The record of a collaboration with no double-blind upload yet.
 *
 * @example
 * ```ts
 * emptyBlindRecord(); // { keyChecks: {}, uploads: [] }
 * ```
 */
export function emptyBlindRecord(): BlindRecord {
  return { keyChecks: {}, uploads: [] };
}

/**
 * A `BlindExchangeStore` in memory, for tests and single-process hosts; it keeps copies,
 * so a caller's later change to an object never reaches the store unwritten.
 *
 * @example
 * ```ts
 * const store = new MemoryBlindExchangeStore();
 * ```
 */
export class MemoryBlindExchangeStore implements BlindExchangeStore {
  readonly #records = new Map<string, string>();

  async read(collaboration: string): Promise<BlindRecord> {
    const text = this.#records.get(collaboration);
    return text === undefined ? emptyBlindRecord() : (JSON.parse(text) as BlindRecord);
  }

  async write(collaboration: string, record: BlindRecord): Promise<void> {
    this.#records.set(collaboration, JSON.stringify(record));
  }

  async remove(collaboration: string): Promise<void> {
    this.#records.delete(collaboration);
  }
}
