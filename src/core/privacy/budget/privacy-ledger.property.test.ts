import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { MemoryLedgerStore } from './ledger-store.js';
import { PrivacyLedger } from './privacy-ledger.js';
import { seededRandomSource } from '../dp/random-source.js';
import { sampleUniformInt } from '../dp/uniform.js';

const DAY = 24 * 3600 * 1000;

/** A cost in thousandths of ε, so the model below can add integers exactly. */
const costOf = (milli: number): string => `${milli}/1000`;

describe('PrivacyLedger properties (seeded random histories)', () => {
  it('accepts a charge exactly when both budgets of its period still hold it, over 30 random histories', async () => {
    const rng = seededRandomSource(31);
    for (let history = 0; history < 30; history++) {
      const partyBudget = 200 + sampleUniformInt(800, rng); // in thousandths of ε
      const totalBudget = partyBudget + sampleUniformInt(1500, rng);
      let now = 0;
      const ledger = new PrivacyLedger({
        store: new MemoryLedgerStore(),
        key: `c${history}`,
        budget: { collaboration: { epsilon: costOf(totalBudget) }, perParty: { epsilon: costOf(partyBudget) } },
        refresh: { periodMs: 7 * DAY },
        clock: () => now,
      });
      // The model: spent per period, per party, in integers.
      const spent = new Map<string, number>();
      for (let step = 0; step < 60; step++) {
        now += sampleUniformInt(DAY, rng);
        const period = Math.floor(now / (7 * DAY));
        const party = `p${sampleUniformInt(3, rng)}`;
        const milli = 1 + sampleUniformInt(300, rng);
        const mine = spent.get(`${period}/${party}`) ?? 0;
        const all = spent.get(`${period}/*`) ?? 0;
        const fits = mine + milli <= partyBudget && all + milli <= totalBudget;
        const preview = await ledger.preview(party, { epsilon: costOf(milli) });
        expect(preview.allowed).toBe(fits);
        try {
          const status = await ledger.charge(party, { epsilon: costOf(milli) });
          expect(fits).toBe(true);
          spent.set(`${period}/${party}`, mine + milli);
          spent.set(`${period}/*`, all + milli);
          expect(status.remaining.party.epsilon).toBeCloseTo((partyBudget - mine - milli) / 1000, 12);
          expect(status.remaining.collaboration.epsilon).toBeCloseTo((totalBudget - all - milli) / 1000, 12);
        } catch (error) {
          if (!(error instanceof CleanRoomError) || error.code !== 'refused') throw error;
          expect(fits).toBe(false);
        }
      }
    }
  });

  it('never lets concurrent bursts of random charges exceed either budget', async () => {
    const rng = seededRandomSource(32);
    for (let history = 0; history < 10; history++) {
      const store = new MemoryLedgerStore();
      const ledger = new PrivacyLedger({
        store,
        key: 'c',
        budget: { collaboration: { epsilon: 2 }, perParty: { epsilon: 1 } },
        clock: () => 0,
      });
      const burst = Array.from({ length: 80 }, () => ({ party: `p${sampleUniformInt(4, rng)}`, milli: 1 + sampleUniformInt(200, rng) }));
      await Promise.allSettled(burst.map(({ party, milli }) => ledger.charge(party, { epsilon: costOf(milli) })));
      const entries = store.entries('c');
      const milliOf = (e: { cost: { epsilon: string } }): number => Number(e.cost.epsilon.split('/')[0]) * (1000 / Number(e.cost.epsilon.split('/')[1]));
      expect(entries.reduce((s, e) => s + milliOf(e), 0)).toBeLessThanOrEqual(2000);
      for (const party of ['p0', 'p1', 'p2', 'p3']) {
        expect(entries.filter((e) => e.party === party).reduce((s, e) => s + milliOf(e), 0)).toBeLessThanOrEqual(1000);
      }
    }
  });
});
