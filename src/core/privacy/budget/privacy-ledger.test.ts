import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { MemoryLedgerStore, type LedgerEntry, type LedgerStore } from './ledger-store.js';
import { PrivacyLedger, type PrivacyLedgerOptions } from './privacy-ledger.js';

const DAY = 24 * 3600 * 1000;

const ledgerWith = (overrides: Partial<PrivacyLedgerOptions> = {}) => {
  const store = new MemoryLedgerStore();
  let now = 1_700_000_000_000;
  const ledger = new PrivacyLedger({ store, key: 'collab-1', budget: { collaboration: { epsilon: 1 } }, clock: () => now, ...overrides });
  return { ledger, store, advance: (ms: number) => (now += ms), setNow: (t: number) => (now = t) };
};

const refusalOf = async (promise: Promise<unknown>): Promise<CleanRoomError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CleanRoomError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('PrivacyLedger', () => {
  it('charges before release and returns what remains, keeping the run as reference', async () => {
    const { ledger, store } = ledgerWith();
    const status = await ledger.charge('p_brand', { epsilon: 0.3 }, { reference: 'run_1' });
    expect(status).toMatchObject({ allowed: true, cost: 'ε=0.3', reason: null, periodEndsAt: null });
    expect(status.remaining.party.epsilon).toBeCloseTo(0.7, 12);
    expect(store.entries('collab-1')).toEqual([
      { party: 'p_brand', cost: { epsilon: '3/10', delta: '0/1', rho: '0/1' }, at: 1_700_000_000_000, period: 0, reference: 'run_1' },
    ]);
  });

  it('refuses a run beyond the budget with the remaining budget in the message and details, charging nothing', async () => {
    const { ledger, store } = ledgerWith();
    for (let i = 0; i < 9; i++) await ledger.charge('p_brand', { epsilon: 0.1 });
    await ledger.charge('p_brand', { epsilon: 0.05 });
    const error = await refusalOf(ledger.charge('p_brand', { epsilon: 0.1 }, { reference: 'run_11' }));
    expect(error.code).toBe('refused');
    expect(error.message).toBe("Cannot run run_11 as party p_brand: it costs ε=0.1, and ε=0.05 remains of the party's budget");
    expect(error.details).toMatchObject({ party: 'p_brand', cost: 'ε=0.1', reference: 'run_11' });
    expect((error.details.remaining as { party: { epsilon: number } }).party.epsilon).toBeCloseTo(0.05, 12);
    expect(store.entries('collab-1')).toHaveLength(10);
    await ledger.charge('p_brand', { epsilon: 0.05 }); // exactly what is left still fits
  });

  it('previews without charging', async () => {
    const { ledger, store } = ledgerWith();
    const ok = await ledger.preview('p_brand', { epsilon: 0.4 });
    expect(ok.allowed).toBe(true);
    expect(ok.remaining.party.epsilon).toBeCloseTo(0.6, 12);
    const tooMuch = await ledger.preview('p_brand', { epsilon: 1.5 });
    expect(tooMuch).toMatchObject({ allowed: false, reason: expect.stringMatching(/it costs ε=1.5, and ε=1 remains/) });
    expect(store.entries('collab-1')).toHaveLength(0);
    expect((await ledger.remaining('p_brand')).party.epsilon).toBe(1);
  });

  it('enforces each party’s budget and the collaboration’s total, saying which one refused', async () => {
    const { ledger } = ledgerWith({ budget: { collaboration: { epsilon: 1.5 }, perParty: { epsilon: 1 } } });
    await ledger.charge('p_brand', { epsilon: 1 });
    expect((await refusalOf(ledger.charge('p_brand', { epsilon: 0.1 }))).message).toMatch(/remains of the party's budget/);
    await ledger.charge('p_retail', { epsilon: 0.5 });
    const error = await refusalOf(ledger.charge('p_retail', { epsilon: 0.1 }));
    expect(error.message).toBe('Cannot run this analysis as party p_retail: it costs ε=0.1, and ε=0 remains of the collaboration budget');
    expect((await ledger.remaining('p_retail')).party.epsilon).toBeCloseTo(0.5, 12);
  });

  it('never overspends under 200 concurrent charges: exactly 10 of ε=0.1 fit in 1.0', async () => {
    const { ledger, store } = ledgerWith();
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => ledger.charge(`p${i % 3}`, { epsilon: 0.1 })));
    const won = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof CleanRoomError && r.reason.code === 'refused');
    expect(won).toHaveLength(10);
    expect(refused).toHaveLength(190);
    expect(store.entries('collab-1')).toHaveLength(10);
  });

  it('needs the store’s compare-and-append: a store that ignores the version lets all 200 through', async () => {
    const log: LedgerEntry[] = [];
    const careless: LedgerStore = {
      read: async () => [...log],
      append: async (_key, entry) => {
        await Promise.resolve();
        log.push(entry);
        return true;
      },
    };
    const ledger = new PrivacyLedger({ store: careless, key: 'c', budget: { collaboration: { epsilon: 1 } }, clock: () => 0 });
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => ledger.charge('p', { epsilon: 0.1 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(200);
  });

  it('never overspends a party under concurrent charges of mixed sizes', async () => {
    const { ledger, store } = ledgerWith({ budget: { collaboration: { epsilon: 5 }, perParty: { epsilon: 1 } } });
    const costs = Array.from({ length: 120 }, (_, i) => [0.05, 0.1, 0.25][i % 3]!);
    await Promise.allSettled(costs.map((epsilon, i) => ledger.charge(`p${i % 2}`, { epsilon })));
    for (const party of ['p0', 'p1']) {
      const spent = store
        .entries('collab-1')
        .filter((e) => e.party === party)
        .reduce((s, e) => s + Number(e.cost.epsilon.split('/')[0]) / Number(e.cost.epsilon.split('/')[1]), 0);
      expect(spent).toBeLessThanOrEqual(1 + 1e-12);
      expect(spent).toBeGreaterThan(0.9); // the budget is used, not refused wholesale
    }
  });

  it('starts afresh each refresh period (injected clock) and says when the period ends', async () => {
    const { ledger, advance, setNow } = ledgerWith({ refresh: { periodMs: 30 * DAY, origin: 0 } });
    setNow(30 * DAY * 100 + 5);
    const first = await ledger.charge('p_brand', { epsilon: 1 });
    expect(first.periodEndsAt).toBe(30 * DAY * 101);
    const error = await refusalOf(ledger.charge('p_brand', { epsilon: 0.1 }));
    expect(error.message).toMatch(/remains of the party's budget this period$/);
    expect(error.details.periodEndsAt).toBe(30 * DAY * 101);
    advance(30 * DAY - 6); // one ms before the period ends: still spent
    await expect(ledger.charge('p_brand', { epsilon: 0.1 })).rejects.toThrow(CleanRoomError);
    advance(1);
    expect((await ledger.remaining('p_brand')).party.epsilon).toBe(1);
    await ledger.charge('p_brand', { epsilon: 0.6 });
    setNow(30 * DAY * 100 + 10); // a clock that went back still sees the later period's charges
    expect((await ledger.remaining('p_brand')).party.epsilon).toBe(0);
  });

  it('accounts Gaussian runs in zCDP and converts with the budget’s δ', async () => {
    const { ledger } = ledgerWith({ budget: { collaboration: { epsilon: 1, delta: 1e-6 } } });
    const L = Math.log(1e6);
    const status = await ledger.charge('p_brand', { rho: 0.01 });
    expect(status.remaining.party.epsilon).toBeCloseTo(1 - (0.01 + 2 * Math.sqrt(0.01 * L)), 9);
    expect(status.remaining.party.rho).toBeCloseTo((Math.sqrt(L + 1) - Math.sqrt(L)) ** 2 - 0.01, 9);
    const error = await refusalOf(ledger.charge('p_brand', { rho: 0.01 }));
    expect(error.message).toMatch(/it costs ρ=0.01 \(zCDP\), and ε=0.2\d+, δ=0.000001, ρ=0.007\d+ \(zCDP\) remains/);
  });

  it('refuses a Gaussian run under a budget without δ', async () => {
    const { ledger } = ledgerWith();
    expect((await refusalOf(ledger.charge('p_brand', { rho: 0.001 }))).code).toBe('refused');
  });

  it('validates its configuration and costs', async () => {
    const store = new MemoryLedgerStore();
    const base = { store, key: 'k', clock: () => 0 };
    expect(() => new PrivacyLedger({ ...base, budget: { collaboration: { epsilon: 0 } } })).toThrow(/ε=0/);
    expect(() => new PrivacyLedger({ ...base, budget: { collaboration: { epsilon: 1, delta: 1 } } })).toThrow(/δ in \[0, 1\)/);
    expect(() => new PrivacyLedger({ ...base, budget: { collaboration: { epsilon: 1 } }, refresh: { periodMs: 0 } })).toThrow(/periodMs=0/);
    const { ledger } = ledgerWith();
    await expect(ledger.charge('p', {})).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('gives up with a conflict when the store never accepts an append', async () => {
    const stuck: LedgerStore = { read: async () => [], append: async () => false };
    const ledger = new PrivacyLedger({ store: stuck, key: 'k', budget: { collaboration: { epsilon: 1 } }, clock: () => 0, maxAttempts: 5 });
    await expect(ledger.charge('p', { epsilon: 0.1 })).rejects.toMatchObject({ code: 'conflict' });
  });
});
