import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../src/core/errors.js';
import { MemoryLedgerStore } from '../../src/core/privacy/budget/ledger-store.js';
import type { LedgerStore } from '../../src/core/privacy/budget/ledger-store.js';
import { PrivacyLedger } from '../../src/core/privacy/budget/privacy-ledger.js';
import { ledgerStoreContract } from '../../src/core/privacy/budget/testing/ledger-store-contract.js';
import { FileLedgerStore } from '../../src/node/store/file-ledger-store.js';
import { tempDir } from '../helpers/run-cleanroom.js';

const DAY = 24 * 3600 * 1000;
const implementations: Array<[string, () => Promise<LedgerStore>]> = [
  ['MemoryLedgerStore', async () => new MemoryLedgerStore()],
  ['FileLedgerStore', () => FileLedgerStore.open(tempDir('cleanroom-ledger-'))],
];

for (const [name, makeStore] of implementations) {
  ledgerStoreContract(name, makeStore);

  describe(`PrivacyLedger over ${name}`, () => {
    it('lets 40 concurrent charges spend exactly the budget and refuses the rest, charging them nothing', async () => {
      const store = await makeStore();
      const ledger = new PrivacyLedger({ store, key: 'c_1', budget: { collaboration: { epsilon: 1 } }, clock: () => 1_700_000_000_000 });
      const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => ledger.charge(`p_${i % 3}`, { epsilon: 0.1 }, { reference: `run_${i}` })));
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
      for (const o of refused) expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'refused' });
      expect(await store.read('c_1')).toHaveLength(10);
      expect((await ledger.remaining('p_0')).collaboration.epsilon).toBeCloseTo(0, 12);
    });

    it('keeps each party within its own budget and the collaboration within the total', async () => {
      const store = await makeStore();
      const ledger = new PrivacyLedger({ store, key: 'c_2', budget: { collaboration: { epsilon: 1 }, perParty: { epsilon: 0.6 } }, clock: () => 0 });
      await ledger.charge('p_a', { epsilon: 0.5 });
      const own = await ledger.charge('p_a', { epsilon: 0.2 }).catch((e: unknown) => e);
      expect(own).toBeInstanceOf(CleanRoomError);
      expect((own as CleanRoomError).message).toMatch(/of the party's budget/);
      await ledger.charge('p_b', { epsilon: 0.5 });
      const total = await ledger.charge('p_c', { epsilon: 0.1 }).catch((e: unknown) => e);
      expect((total as CleanRoomError).message).toMatch(/of the collaboration budget/);
      expect(await store.read('c_2')).toHaveLength(2);
    });

    it('starts afresh each period and says when the period ends', async () => {
      const store = await makeStore();
      let now = 10 * DAY + 5;
      const ledger = new PrivacyLedger({ store, key: 'c_3', budget: { collaboration: { epsilon: 1 } }, refresh: { periodMs: 30 * DAY }, clock: () => now });
      await ledger.charge('p_a', { epsilon: 1 });
      expect((await ledger.preview('p_a', { epsilon: 0.1 })).allowed).toBe(false);
      now = 30 * DAY;
      const status = await ledger.charge('p_a', { epsilon: 0.1 });
      expect(status.periodEndsAt).toBe(60 * DAY);
      expect((await store.read('c_3')).map((e) => e.period)).toEqual([0, 1]);
    });
  });
}
