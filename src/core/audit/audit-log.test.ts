import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { jsonDigest } from '../digest/json-digest.js';
import type { AuditEntry, AuditEvent } from './audit-event.js';
import { GENESIS_HASH } from './audit-event.js';
import { auditGenesis } from './audit-hash.js';
import { AuditLog } from './audit-log.js';
import type { AuditStore } from './audit-store.js';
import { MemoryAuditStore } from './memory-audit-store.js';
import { verifyChain } from './verify-chain.js';

const entry: AuditEntry = {
  actor: { party: 'p_retailer', keyId: 'k_2' },
  action: 'run',
  object: { type: 'run', id: 'r_1' },
  params: { analysis: 'attribution', lookback_days: 30 },
  decision: 'released',
  resultDigest: jsonDigest({ rows: [] }),
};

function fixedClock(): () => Date {
  let tick = 0;
  return () => new Date(Date.UTC(2024, 4, 1, 12, 0, 0, tick++));
}

async function all(store: AuditStore): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of store.iterate()) events.push(event);
  return events;
}

describe('AuditLog.append', () => {
  it('numbers, timestamps, chains and hashes the entry', async () => {
    const log = new AuditLog(new MemoryAuditStore(), { clock: fixedClock() });
    const first = await log.append(entry);
    const second = await log.append({ ...entry, object: { type: 'run', id: 'r_2' } });
    expect(first).toMatchObject({ seq: 1, at: '2024-05-01T12:00:00.000Z', prevHash: GENESIS_HASH, ...entry });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatchObject({ seq: 2, at: '2024-05-01T12:00:00.001Z', prevHash: first.hash });
  });

  it('records empty params when none are given, and no absent optional fields', async () => {
    const log = new AuditLog(new MemoryAuditStore(), { clock: fixedClock() });
    const event = await log.append({ actor: entry.actor, action: 'attest', object: { type: 'collaboration', id: 'c_1' } });
    expect(event.params).toEqual({});
    expect(Object.keys(event)).not.toContain('decision');
  });

  it('starts from a collaboration genesis', async () => {
    const genesis = auditGenesis('c_1');
    const log = new AuditLog(new MemoryAuditStore(), { clock: fixedClock(), genesis });
    expect((await log.append(entry)).prevHash).toBe(genesis);
    expect(await log.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('gives concurrent callers consecutive seqs in call order', async () => {
    const store = new MemoryAuditStore();
    const log = new AuditLog(store, { clock: fixedClock() });
    const events = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append({ ...entry, object: { type: 'run', id: `r_${i}` } })),
    );
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(events.map((e) => e.object.id)).toEqual(Array.from({ length: 50 }, (_, i) => `r_${i}`));
    expect(verifyChain(await all(store))).toMatchObject({ ok: true, count: 50 });
  });

  it('continues the chain of a store that already holds events', async () => {
    const store = new MemoryAuditStore();
    await new AuditLog(store, { clock: fixedClock() }).append(entry);
    const later = new AuditLog(store, { clock: fixedClock() });
    expect((await later.append(entry)).seq).toBe(2);
    expect(await later.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('detaches params from the caller', async () => {
    const store = new MemoryAuditStore();
    const log = new AuditLog(store, { clock: fixedClock() });
    const params = { analysis: 'overlap', groups: ['a'] };
    await log.append({ ...entry, params });
    params.groups.push('b');
    expect(verifyChain(await all(store)).ok).toBe(true);
  });

  it.each([
    ['an unknown action', { ...entry, action: 'sneak' }],
    ['an empty party', { ...entry, actor: { party: '', keyId: 'k' } }],
    ['a malformed result digest', { ...entry, resultDigest: 'md5:abc' }],
    ['params that are not JSON', { ...entry, params: { at: new Date() } }],
    ['params with NaN', { ...entry, params: { share: Number.NaN } }],
  ])('refuses %s as invalid_argument and writes nothing', async (_, bad) => {
    const store = new MemoryAuditStore();
    const log = new AuditLog(store, { clock: fixedClock() });
    await expect(log.append(bad as AuditEntry)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await store.last()).toBeUndefined();
    expect((await log.append(entry)).seq).toBe(1);
  });
});

describe('AuditLog when the store fails', () => {
  /** A memory store whose next `failures` appends reject. */
  function flakyStore(failures: number, landAnyway = false): AuditStore & { remaining: number } {
    const inner = new MemoryAuditStore();
    return {
      remaining: failures,
      async append(event) {
        if (this.remaining > 0) {
          this.remaining -= 1;
          if (landAnyway) await inner.append(event);
          throw new Error('disk full');
        }
        await inner.append(event);
      },
      last: () => inner.last(),
      iterate: (from) => inner.iterate(from),
    };
  }

  it('rejects the append with io_error, so the caller fails its action', async () => {
    const log = new AuditLog(flakyStore(1), { clock: fixedClock() });
    const error = await log.append(entry).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleanRoomError);
    expect(error).toMatchObject({ code: 'io_error', details: { seq: 1, action: 'run' } });
    expect((error as Error).message).toBe('Cannot record audit event 1 (run run r_1): the audit store failed: disk full');
  });

  it('consumes no seq, so the next append continues the chain', async () => {
    const store = flakyStore(1);
    const log = new AuditLog(store, { clock: fixedClock() });
    await expect(log.append(entry)).rejects.toThrow();
    expect((await log.append(entry)).seq).toBe(1);
    expect(await log.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('re-reads the head when a failed write landed after all', async () => {
    const log = new AuditLog(flakyStore(1, true), { clock: fixedClock() });
    await expect(log.append(entry)).rejects.toThrow();
    expect((await log.append(entry)).seq).toBe(2);
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('fails only the appends queued behind a failure that fail themselves', async () => {
    const log = new AuditLog(flakyStore(1), { clock: fixedClock() });
    const results = await Promise.allSettled([log.append(entry), log.append(entry), log.append(entry)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(await log.head()).toMatchObject({ seq: 2 });
  });
});
