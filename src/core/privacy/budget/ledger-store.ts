/**
 * One charge in a privacy ledger, JSON-ready: rationals as `"num/den"` strings, the time in
 * epoch milliseconds and the refresh period it counts against.
 *
 * @example
 * ```ts
 * const entry: LedgerEntry = { party: 'p_brand', cost: { epsilon: '1/10', delta: '0/1', rho: '0/1' }, at: 1_700_000_000_000, period: 0 };
 * ```
 */
export interface LedgerEntry {
  party: string;
  cost: { epsilon: string; delta: string; rho: string };
  at: number;
  period: number;
  /** What the charge paid for (a run id), for the audit trail. */
  reference?: string;
}

/**
 * The persistence a {@link PrivacyLedger} needs: an append-only list of entries per key
 * (one key per collaboration), with compare-and-append so that concurrent charges cannot
 * both spend the same budget. `append` adds the entry only if the list still holds exactly
 * `expectedVersion` entries, atomically, and says whether it did.
 *
 * @example
 * ```ts
 * const entries = await store.read('collab-1');
 * const ok = await store.append('collab-1', entry, entries.length); // false if someone appended first
 * ```
 */
export interface LedgerStore {
  read(key: string): Promise<readonly LedgerEntry[]>;
  append(key: string, entry: LedgerEntry, expectedVersion: number): Promise<boolean>;
}

/**
 * An in-memory {@link LedgerStore} for tests and demos. Each call awaits a microtask first,
 * so that concurrent callers really interleave as they would against a database.
 *
 * @example
 * ```ts
 * const ledger = new PrivacyLedger({ store: new MemoryLedgerStore(), key: 'collab-1', budget, clock: () => Date.now() });
 * ```
 */
export class MemoryLedgerStore implements LedgerStore {
  readonly #logs = new Map<string, LedgerEntry[]>();

  async read(key: string): Promise<readonly LedgerEntry[]> {
    await Promise.resolve();
    return structuredClone(this.#logs.get(key) ?? []);
  }

  async append(key: string, entry: LedgerEntry, expectedVersion: number): Promise<boolean> {
    await Promise.resolve();
    const log = this.#logs.get(key) ?? [];
    if (log.length !== expectedVersion) return false;
    log.push(structuredClone(entry));
    this.#logs.set(key, log);
    return true;
  }

  /** A synchronous copy of one key's entries, for assertions. */
  entries(key: string): readonly LedgerEntry[] {
    return structuredClone(this.#logs.get(key) ?? []);
  }
}
