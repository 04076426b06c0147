import { describe, expect, it } from 'vitest';
import type { LedgerEntry, LedgerStore } from '../ledger-store.js';

const entry = (party: string, at: number): LedgerEntry => ({ party, cost: { epsilon: '1/10', delta: '0/1', rho: '0/1' }, at, period: 0 });

/**
 * The contract every {@link LedgerStore} must keep, as a vitest suite: call it from a test file
 * with a factory of empty stores (memory, file, database…).
 *
 * @example
 * ```ts
 * ledgerStoreContract('memory', () => new MemoryLedgerStore());
 * ```
 */
export function ledgerStoreContract(name: string, makeStore: () => LedgerStore | Promise<LedgerStore>): void {
  describe(`LedgerStore contract: ${name}`, () => {
    it('starts empty and returns entries in append order, per key', async () => {
      const store = await makeStore();
      expect(await store.read('a')).toEqual([]);
      expect(await store.append('a', entry('p1', 1), 0)).toBe(true);
      expect(await store.append('a', entry('p2', 2), 1)).toBe(true);
      expect(await store.append('b', entry('p3', 3), 0)).toBe(true);
      expect((await store.read('a')).map((e) => e.party)).toEqual(['p1', 'p2']);
      expect((await store.read('b')).map((e) => e.party)).toEqual(['p3']);
    });

    it('appends only at the expected version', async () => {
      const store = await makeStore();
      expect(await store.append('a', entry('p1', 1), 1)).toBe(false);
      expect(await store.append('a', entry('p1', 1), 0)).toBe(true);
      expect(await store.append('a', entry('p2', 2), 0)).toBe(false);
      expect(await store.read('a')).toHaveLength(1);
    });

    it('lets exactly one of many concurrent appends at the same version win', async () => {
      const store = await makeStore();
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append('a', entry(`p${i}`, i), 0)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.read('a')).toHaveLength(1);
    });

    it('keeps entries intact (reference included) and unaffected by callers mutating what they read', async () => {
      const store = await makeStore();
      await store.append('a', { ...entry('p1', 5), reference: 'run_1' }, 0);
      const read = (await store.read('a')) as LedgerEntry[];
      expect(read[0]).toEqual({ ...entry('p1', 5), reference: 'run_1' });
      read.pop();
      expect(await store.read('a')).toHaveLength(1);
    });
  });
}
