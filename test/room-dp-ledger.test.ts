import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLedgerStore } from '../src/core/privacy/budget/ledger-store.js';
import type { LedgerEntry } from '../src/core/privacy/budget/ledger-store.js';
import type { CleanRoom } from '../src/core/room/clean-room.js';
import { MemoryCollaborationStore } from '../src/core/collaboration/collaboration-store.js';
import type { Collaboration, Run } from '../src/core/collaboration/collaboration.js';
import { CleanRoomError } from '../src/core/errors.js';
import { createNodeCleanRoom } from '../src/node/room/create-node-clean-room.js';
import { FileCollaborationStore } from '../src/node/store/file-collaboration-store.js';
import { FileLedgerStore } from '../src/node/store/file-ledger-store.js';
import { PRODUCTS, dpLedgerFiles, dpLedgerTemplate } from './helpers/dp-ledger-template.js';
import { actor } from './helpers/room-harness.js';
import { tempDir } from './helpers/run-cleanroom.js';

const brand = actor('p_brand');
const bank = actor('p_bank');
const outsider = actor('p_outsider');

async function refusal(promise: Promise<unknown>): Promise<CleanRoomError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CleanRoomError) return error;
    throw error;
  }
  throw new Error('expected a CleanRoomError');
}

/** A collaboration of the DP test template with both datasets uploaded and both parties attested. */
async function ready(room: CleanRoom, dir: string, options: Parameters<typeof dpLedgerTemplate>[0] = {}): Promise<Collaboration> {
  const c = await room.createCollaboration(brand, { name: 'dp', template: dpLedgerTemplate(options), members: { brand: brand.party, bank: bank.party } });
  for (const p of [brand, bank]) await room.attest(p, c.id, { termsVersion: '1', templateDigest: c.templateDigest });
  const files = dpLedgerFiles(dir);
  await room.upload(brand, c.id, 'members', files.members);
  await room.upload(bank, c.id, 'holdings', files.holdings);
  return c;
}

describe('the privacy budget ledger and the release cache in the room', () => {
  let room: CleanRoom;
  let close: () => Promise<void>;
  let dir: string;
  let dataDir: string;
  let ledger: MemoryLedgerStore;
  let store: MemoryCollaborationStore;

  beforeAll(async () => {
    dir = tempDir('cleanroom-dp-ledger-');
    dataDir = join(dir, 'data');
    ledger = new MemoryLedgerStore();
    store = new MemoryCollaborationStore();
    ({ room, close } = await createNodeCleanRoom({ dataDir, masterKey: randomBytes(32), encryption: 'off', store, ledgerStore: ledger }));
  });
  afterAll(async () => close());

  it('charges the ledger before the run is stored, reports the cost, and audits the charge', async () => {
    const c = await ready(room, dir);
    const run = await room.run(brand, c.id, 'holders', { product: 'checking' });
    expect(run.status).toBe('released');
    expect(run.result?.privacy).toMatchObject({ mechanism: 'laplace', cost: 'ε=0.4', charged: { epsilon: 0.4, delta: 0, rho: 0 }, periodEndsAt: null });
    expect(run.result!.privacy!.remaining.party.epsilon).toBeCloseTo(0.6, 9);
    expect(run.result!.privacy!.remaining.collaboration.epsilon).toBeCloseTo(0.6, 9);
    expect(run.releaseKey).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(run.cachedFrom).toBeUndefined();
    const entries = ledger.entries(c.id);
    expect(entries).toEqual([{ party: brand.party, cost: { epsilon: '2/5', delta: '0/1', rho: '0/1' }, at: expect.any(Number), period: 0, reference: run.id }]);
    const event = (await room.auditEvents(bank, c.id)).find((e) => e.object.id === run.id)!;
    expect(event).toMatchObject({ action: 'run', decision: 'released', params: { analysis: 'holders', product: 'checking', privacyCost: 'ε=0.4', privacyCharged: { epsilon: 0.4, delta: 0, rho: 0 } } });
    // The bank receives it too, with the same privacy accounting.
    expect((await room.getRun(bank, c.id, run.id)).result?.privacy?.cost).toBe('ε=0.4');
  });

  it('returns an identical run as a new run with the earlier release, at no cost, and audits it as cached', async () => {
    const c = await ready(room, dir);
    const first = await room.run(brand, c.id, 'holders', { product: 'savings' });
    const again = await room.run(bank, c.id, 'holders', { product: 'savings' });
    expect(again.id).not.toBe(first.id);
    expect(again).toMatchObject({ by: bank.party, status: first.status, reason: first.reason, cachedFrom: first.id, releaseKey: first.releaseKey });
    expect(again.result?.tables).toEqual(first.result?.tables);
    expect(again.result?.privacy?.charged).toEqual({ epsilon: 0, delta: 0, rho: 0 });
    expect(again.result?.privacy?.cost).toBe('ε=0.4');
    expect(again.result!.privacy!.remaining.collaboration.epsilon).toBeCloseTo(0.6, 9);
    expect(ledger.entries(c.id)).toHaveLength(1);
    // A third identical run points at the run that computed the release, not at a copy.
    expect((await room.run(brand, c.id, 'holders', { product: 'savings' })).cachedFrom).toBe(first.id);
    const stored = await store.getRun(c.id, again.id);
    expect(stored?.cachedFrom).toBe(first.id);
    const event = (await room.auditEvents(brand, c.id)).find((e) => e.object.id === again.id)!;
    expect(event).toMatchObject({ actor: bank, decision: first.status, params: { cachedFrom: first.id, privacyCharged: { epsilon: 0, delta: 0, rho: 0 } } });
  });

  it('charges a different question (other parameters) and refuses one the budget cannot pay for, charging and releasing nothing', async () => {
    const c = await ready(room, dir);
    await room.run(brand, c.id, 'holders', { product: 'checking' });
    const second = await room.run(bank, c.id, 'holders', { product: 'mortgage' });
    expect(second.cachedFrom).toBeUndefined();
    expect(second.result!.privacy!.remaining.collaboration.epsilon).toBeCloseTo(0.2, 9);
    const runsBefore = (await store.listRuns(c.id)).length;
    const error = await refusal(room.run(brand, c.id, 'holders', { product: 'savings' }));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/it costs ε=0\.4, and ε=0\.2, δ=[^ ,]+ remains of the (party.s|collaboration) budget/);
    expect(ledger.entries(c.id)).toHaveLength(2);
    expect(await store.listRuns(c.id)).toHaveLength(runsBefore);
    const refused = (await room.auditEvents(brand, c.id)).at(-1)!;
    expect(refused).toMatchObject({ action: 'run', decision: 'refused', object: { type: 'analysis', id: 'holders' }, params: { privacyCost: 'ε=0.4' } });
    // Asking an earlier question again still works when the budget is spent: it costs nothing.
    const cached = await room.run(brand, c.id, 'holders', { product: 'checking' });
    expect(cached.cachedFrom).toBeDefined();
    expect(ledger.entries(c.id)).toHaveLength(2);
  });

  it('charges the same question again after a re-upload minus one row: the cached release is never the answer over other data', async () => {
    const c = await ready(room, dir);
    const first = await room.run(brand, c.id, 'holders', { product: 'savings' });
    // The attack: upload the same members minus one person, ask the same question, compare.
    const files = dpLedgerFiles(dir);
    const lines = readFileSync(files.members, 'utf8').trim().split('\n');
    const minusOne = join(dir, 'members-minus-one.csv');
    writeFileSync(minusOne, `${[lines[0], ...lines.slice(2)].join('\n')}\n`);
    await room.upload(brand, c.id, 'members', minusOne);
    const second = await room.run(brand, c.id, 'holders', { product: 'savings' });
    expect(second.cachedFrom).toBeUndefined();
    expect(second.releaseKey).not.toBe(first.releaseKey);
    expect(second.result!.privacy!.charged.epsilon).toBe(0.4);
    expect(ledger.entries(c.id)).toHaveLength(2);
    // So the difference is paid for, and bounded by the noise: each answer was noised on its own.
    expect(second.result!.tables.holders!.noise).toBeDefined();
    // Re-uploading the full file again is new data too: charged, never the first release.
    await room.upload(brand, c.id, 'members', files.members);
    await expect(room.run(brand, c.id, 'holders', { product: 'savings' })).rejects.toMatchObject({ code: 'refused' });
    expect(ledger.entries(c.id)).toHaveLength(2);
  });

  it('keeps each party within its own budget: all its API keys share it', async () => {
    const c = await ready(room, dir, { budget: 1, perParty: 0.5 });
    await room.run({ party: brand.party, keyId: 'k_one' }, c.id, 'holders', { product: 'checking' });
    const error = await refusal(room.run({ party: brand.party, keyId: 'k_two' }, c.id, 'holders', { product: 'savings' }));
    expect(error.message).toMatch(/of the party's budget/);
    const other = await room.run(bank, c.id, 'holders', { product: 'savings' });
    expect(other.result!.privacy!.remaining.party.epsilon).toBeCloseTo(0.1, 9);
    expect(other.result!.privacy!.remaining.collaboration.epsilon).toBeCloseTo(0.2, 9);
  });

  it('cannot overspend under concurrent runs: of six different questions at once only two are charged and released', async () => {
    const c = await ready(room, dir);
    const outcomes = await Promise.allSettled(PRODUCTS.map((product, i) => room.run(i % 2 === 0 ? brand : bank, c.id, 'holders', { product })));
    const released = outcomes.filter((o): o is PromiseFulfilledResult<Run> => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(released).toHaveLength(2);
    for (const o of refused) expect(o.reason).toMatchObject({ code: 'refused' });
    const entries = ledger.entries(c.id);
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.reference).sort()).toEqual(released.map((o) => o.value.id).sort());
    expect((await store.listRuns(c.id)).map((r) => r.id).sort()).toEqual(released.map((o) => o.value.id).sort());
  });

  it('shares one release between identical runs started at once', async () => {
    const c = await ready(room, dir);
    const runs = await Promise.all(Array.from({ length: 5 }, () => room.run(brand, c.id, 'holders', { product: 'credit_card' })));
    expect(ledger.entries(c.id)).toHaveLength(1);
    expect(runs.filter((r) => r.cachedFrom === undefined)).toHaveLength(1);
    expect(new Set(runs.map((r) => JSON.stringify(r.result?.tables))).size).toBe(1);
  });

  it('does not reuse a release pending review or rejected, and reuses it once approved', async () => {
    const c = await ready(room, dir, { reviewBy: ['bank'] });
    const pending = await room.run(brand, c.id, 'holders', { product: 'savings' });
    expect(pending.status).toBe('pending');
    expect(ledger.entries(c.id)).toHaveLength(1); // charged before it was stored, pending or not
    const second = await room.run(brand, c.id, 'holders', { product: 'savings' });
    expect(second.cachedFrom).toBeUndefined();
    await room.review(bank, c.id, second.id, 'rejected');
    await room.review(bank, c.id, pending.id, 'approved');
    const third = await room.run(brand, c.id, 'holders', { product: 'savings' });
    expect(third).toMatchObject({ status: 'released', cachedFrom: pending.id });
    expect(ledger.entries(c.id)).toHaveLength(2);
  });

  it('releases nothing when the charge cannot be made durable', async () => {
    class FailingLedgerStore extends MemoryLedgerStore {
      override async append(_key: string, _entry: LedgerEntry, _expected: number): Promise<boolean> {
        throw new CleanRoomError('io_error', 'Cannot append to the ledger: disk full');
      }
    }
    const failing = await createNodeCleanRoom({ dataDir: join(dir, 'failing'), masterKey: randomBytes(32), encryption: 'off', store, ledgerStore: new FailingLedgerStore() });
    try {
      const c = await ready(failing.room, dir);
      await expect(failing.room.run(brand, c.id, 'holders', { product: 'checking' })).rejects.toMatchObject({ code: 'io_error' });
      expect(await store.listRuns(c.id)).toEqual([]);
      expect((await failing.room.auditEvents(brand, c.id)).filter((e) => e.action === 'run')).toEqual([]);
    } finally {
      await failing.close();
    }
  });

  it('previews a run without running, charging or auditing it', async () => {
    const c = await ready(room, dir);
    const eventsBefore = (await room.auditEvents(brand, c.id)).length;
    const fresh = await room.previewRun(brand, c.id, 'holders', { product: 'savings' });
    expect(fresh).toMatchObject({ analysis: 'holders', dp: true, cached: false, cachedFrom: null, cost: 'ε=0.4', charged: { epsilon: 0.4, delta: 0, rho: 0 }, allowed: true, reason: null, periodEndsAt: null });
    expect(fresh.remaining!.party.epsilon).toBeCloseTo(0.6, 9);
    expect(ledger.entries(c.id)).toHaveLength(0);
    expect(await store.listRuns(c.id)).toHaveLength(0);
    expect(await room.auditEvents(brand, c.id)).toHaveLength(eventsBefore);
    const run = await room.run(brand, c.id, 'holders', { product: 'savings' });
    expect(await room.previewRun(bank, c.id, 'holders', { product: 'savings' })).toMatchObject({ cached: true, cachedFrom: run.id, charged: { epsilon: 0, delta: 0, rho: 0 }, allowed: true });
    await room.run(brand, c.id, 'holders', { product: 'checking' });
    const refused = await room.previewRun(brand, c.id, 'holders', { product: 'mortgage' });
    expect(refused).toMatchObject({ allowed: false, cached: false, charged: { epsilon: 0, delta: 0, rho: 0 }, reason: expect.stringMatching(/it costs ε=0\.4, and ε=0\.2, δ=/) });
    // Same checks as a run: bad parameters, unknown analyses, non-members.
    await expect(room.previewRun(brand, c.id, 'holders', { product: 'yacht' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(room.previewRun(brand, c.id, 'nope', {})).rejects.toMatchObject({ code: 'not_found' });
    await expect(room.previewRun(outsider, c.id, 'holders', { product: 'savings' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('previews and caches runs of a template without DP too: nothing to charge, no budget', async () => {
    const c = await ready(room, dir, { dp: false });
    expect(await room.previewRun(brand, c.id, 'holders', { product: 'savings' })).toEqual({
      analysis: 'holders', dp: false, cached: false, cachedFrom: null, cost: null, charged: { epsilon: 0, delta: 0, rho: 0 }, allowed: true, reason: null, remaining: null, periodEndsAt: null,
    });
    const first = await room.run(brand, c.id, 'holders', { product: 'savings' });
    expect(first.result?.privacy).toBeUndefined();
    expect(await room.previewRun(bank, c.id, 'holders', { product: 'savings' })).toMatchObject({ dp: false, cached: true, cachedFrom: first.id });
    const again = await room.run(bank, c.id, 'holders', { product: 'savings' });
    expect(again).toMatchObject({ cachedFrom: first.id, status: first.status });
    expect(again.result).toEqual(first.result);
    expect(await room.privacyBudget(brand, c.id)).toEqual({ enabled: false, mechanism: null, budget: null, perParty: null, refreshDays: null, remaining: null, periodEndsAt: null, analyses: {} });
    expect(ledger.entries(c.id)).toEqual([]);
  });

  it('shows the budget to members: policy, what remains for the collaboration and the caller, each analysis cost', async () => {
    const c = await ready(room, dir, { budget: 1, perParty: 0.8, refreshDays: 30 });
    await room.run(brand, c.id, 'holders', { product: 'savings' });
    const seen = await room.privacyBudget(bank, c.id);
    expect(seen).toMatchObject({
      enabled: true,
      mechanism: 'laplace',
      budget: { epsilon: 1, delta: 1e-6 },
      perParty: { epsilon: 0.8, delta: 1e-6 },
      refreshDays: 30,
      analyses: { holders: { cost: 'ε=0.4', charged: { epsilon: 0.4, delta: 0, rho: 0 } } },
    });
    expect(seen.remaining!.collaboration.epsilon).toBeCloseTo(0.6, 9);
    expect(seen.remaining!.party.epsilon).toBeCloseTo(0.8, 9);
    // The 30-day period counts from the day the collaboration was created, not from 1970.
    expect(seen.periodEndsAt).toBe(Date.parse(c.createdAt) + 30 * 24 * 3600 * 1000);
    expect((await room.privacyBudget(brand, c.id)).remaining!.party.epsilon).toBeCloseTo(0.4, 9);
    await expect(room.privacyBudget(outsider, c.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('the ledger and the release cache survive a restart (FileLedgerStore, FileCollaborationStore)', () => {
  it('refuses after a restart what the budget no longer holds, and still reuses earlier releases', async () => {
    const dir = tempDir('cleanroom-dp-restart-');
    const dataDir = join(dir, 'data');
    const masterKey = randomBytes(32);
    const open = async () =>
      createNodeCleanRoom({ dataDir, masterKey, encryption: 'off', store: await FileCollaborationStore.open(join(dataDir, 'store')), ledgerStore: await FileLedgerStore.open(join(dataDir, 'ledger')) });
    const before = await open();
    const c = await ready(before.room, dir);
    const first = await before.room.run(brand, c.id, 'holders', { product: 'checking' });
    await before.room.run(bank, c.id, 'holders', { product: 'savings' });
    await before.close();
    expect(readFileSync(join(dataDir, 'ledger', `${c.id}.jsonl`), 'utf8').trim().split('\n')).toHaveLength(2);

    const after = await open();
    try {
      const error = await refusal(after.room.run(brand, c.id, 'holders', { product: 'mortgage' }));
      expect(error.message).toMatch(/ε=0\.2, δ=[^ ,]+ remains of the (party.s|collaboration) budget/);
      const cached = await after.room.run(bank, c.id, 'holders', { product: 'checking' });
      expect(cached.cachedFrom).toBe(first.id);
      expect(cached.result?.tables).toEqual(first.result?.tables);
      expect((await after.room.privacyBudget(brand, c.id)).remaining!.collaboration.epsilon).toBeCloseTo(0.2, 9);
    } finally {
      await after.close();
    }
  });
});
