import { z } from 'zod';
import type { LedgerEntry, LedgerStore } from '../../core/privacy/budget/ledger-store.js';
import type { StoreCipher } from '../keys/store-cipher.js';
import { JsonLinesLogs } from './json-lines-logs.js';

const RATIONAL = /^-?\d{1,400}\/\d{1,400}$/;

const entrySchema = z.strictObject({
  party: z.string().min(1).max(200),
  cost: z.strictObject({ epsilon: z.string().regex(RATIONAL), delta: z.string().regex(RATIONAL), rho: z.string().regex(RATIONAL) }),
  at: z.number().finite(),
  period: z.number().int(),
  reference: z.string().max(200).optional(),
});

/**
 * A durable {@link LedgerStore}: one append-only JSON Lines file per key (per collaboration),
 * `<dir>/<key>.jsonl`, one charge per line, kept by {@link JsonLinesLogs}: `append`
 * compares and appends under a per-key lock and `fdatasync`s before it says true, so an
 * acknowledged charge survives a crash. Should another process have grown the file since it
 * was read, the append says false and the file is read again, so the ledger re-checks
 * against the charges it did not know.
 *
 * After a crash: a last charge written whole is kept (counting a charge that was never
 * acknowledged only overstates what was spent); one cut short is moved to
 * `<key>.jsonl.torn`; any other damage refuses every read and charge of that collaboration
 * with `io_error` until the file is repaired: the budget can never be computed from a log
 * it cannot read.
 *
 * @example
 * ```ts
 * const store = await FileLedgerStore.open('/var/lib/cleanroom/ledger');
 * const ledger = new PrivacyLedger({ store, key: collaboration.id, clock: () => Date.now(), ...ledgerBudgetOf(policy) });
 * ```
 */
export class FileLedgerStore implements LedgerStore {
  readonly #logs: JsonLinesLogs<LedgerEntry>;

  private constructor(logs: JsonLinesLogs<LedgerEntry>) {
    this.#logs = logs;
  }

  /** Opens (creating it, mode 0700) the directory of ledger files; each file is read on first use. */
  /** `cipher`: seal each line under its collaboration's key (the server does, at rest). */
  static async open(dir: string, cipher?: StoreCipher): Promise<FileLedgerStore> {
    const naming = { name: 'privacy ledger', item: 'ledger entry', blocked: 'no run of this collaboration can be charged' };
    return new FileLedgerStore(await JsonLinesLogs.open(dir, entrySchema as z.ZodType<LedgerEntry>, naming, cipher === undefined ? undefined : (key) => cipher.lines(key, 'ledger')));
  }

  read(key: string): Promise<readonly LedgerEntry[]> {
    return this.#logs.read(key);
  }

  append(key: string, entry: LedgerEntry, expectedVersion: number): Promise<boolean> {
    return this.#logs.append(key, [entry], expectedVersion);
  }
}
