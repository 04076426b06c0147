import { describe, expect, it } from 'vitest';
import { chainOf } from '../../../test/contracts/audit-store-contract.js';
import { canonicalJson } from '../digest/canonical-json.js';
import { sha256Hex } from '../digest/json-digest.js';
import type { AuditEvent } from './audit-event.js';
import { GENESIS_HASH } from './audit-event.js';
import { auditEventHash, auditGenesis } from './audit-hash.js';
import { MemoryAuditStore } from './memory-audit-store.js';
import { verifyAuditStore, verifyChain } from './verify-chain.js';

function broken(result: ReturnType<typeof verifyChain>): { firstBroken: number; code: string } | 'ok' {
  return result.ok ? 'ok' : { firstBroken: result.firstBroken, code: result.code };
}

function rehash(event: AuditEvent): AuditEvent {
  return { ...event, hash: auditEventHash(event) };
}

describe('the audit hash', () => {
  it('is the SHA-256 of the canonical JSON of the event without its hash', () => {
    const [event] = chainOf(1) as [AuditEvent];
    const { hash, ...body } = event;
    expect(hash).toBe(sha256Hex(canonicalJson(body)));
    expect(event.prevHash).toBe(GENESIS_HASH);
  });

  it('derives a collaboration genesis from its id', () => {
    expect(auditGenesis('c_1')).toBe(sha256Hex('{"collaboration":"c_1","log":"cleanroom.audit.v1"}'));
    expect(auditGenesis('c_1')).not.toBe(auditGenesis('c_2'));
  });
});

describe('verifyChain', () => {
  const events = chainOf(5);
  const head = { seq: 5, hash: events[4]?.hash ?? '' };

  it('accepts an intact chain and returns its head', () => {
    expect(verifyChain(events)).toEqual({ ok: true, count: 5, head });
    expect(verifyChain(events, { head })).toEqual({ ok: true, count: 5, head });
  });

  it('accepts an empty log', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: null });
  });

  it('accepts a log that grew after a head was seen', () => {
    expect(verifyChain(events, { head: { seq: 3, hash: events[2]?.hash ?? '' } }).ok).toBe(true);
  });

  it('catches an edited parameter', () => {
    const tampered = events.map((e) => (e.seq === 3 ? { ...e, params: { ...e.params, n: 300 } } : e));
    expect(broken(verifyChain(tampered))).toEqual({ firstBroken: 3, code: 'hash_mismatch' });
  });

  it('catches an edited decision even with the hash recomputed, at the next link', () => {
    const tampered = events.map((e) => (e.seq === 3 ? rehash({ ...e, decision: 'suppressed' }) : e));
    expect(broken(verifyChain(tampered))).toEqual({ firstBroken: 4, code: 'prev_hash_mismatch' });
  });

  it('catches a rewrite of the tail only against a known head', () => {
    const rewritten = chainOf(5).map((e) => e);
    const last = rewritten[4] as AuditEvent;
    rewritten[4] = rehash({ ...last, decision: 'refused' });
    expect(verifyChain(rewritten).ok).toBe(true);
    expect(broken(verifyChain(rewritten, { head }))).toEqual({ firstBroken: 5, code: 'head_mismatch' });
  });

  it('catches a deleted middle entry', () => {
    expect(broken(verifyChain(events.toSpliced(2, 1)))).toEqual({ firstBroken: 3, code: 'seq_mismatch' });
  });

  it('catches a deleted first entry', () => {
    expect(broken(verifyChain(events.slice(1)))).toEqual({ firstBroken: 1, code: 'seq_mismatch' });
  });

  it('catches a deleted last entry when the head is known', () => {
    expect(broken(verifyChain(events.slice(0, 4), { head }))).toEqual({ firstBroken: 5, code: 'truncated' });
  });

  it('catches two swapped entries', () => {
    const swapped = [events[0], events[1], events[3], events[2], events[4]];
    expect(broken(verifyChain(swapped))).toEqual({ firstBroken: 3, code: 'seq_mismatch' });
  });

  it('catches swapped entries renumbered to hide it', () => {
    const [a, b, c, d, e] = events as [AuditEvent, AuditEvent, AuditEvent, AuditEvent, AuditEvent];
    const swapped = [a, b, { ...d, seq: 3 }, { ...c, seq: 4 }, e];
    expect(broken(verifyChain(swapped))).toEqual({ firstBroken: 3, code: 'prev_hash_mismatch' });
  });

  it('catches a duplicated entry', () => {
    expect(broken(verifyChain([...events.slice(0, 3), events[2], ...events.slice(3)]))).toEqual({ firstBroken: 4, code: 'seq_mismatch' });
  });

  it('catches an entry that is not an audit event', () => {
    const mangled = events.map((e) => (e.seq === 2 ? { ...e, action: 'delete_everything' } : e));
    expect(broken(verifyChain(mangled))).toEqual({ firstBroken: 2, code: 'malformed' });
    expect(broken(verifyChain([null]))).toEqual({ firstBroken: 1, code: 'malformed' });
  });

  it("catches a log verified against another collaboration's genesis", () => {
    expect(broken(verifyChain(events, { genesis: auditGenesis('c_other') }))).toEqual({ firstBroken: 1, code: 'prev_hash_mismatch' });
  });

  it('explains the break in words', () => {
    const result = verifyChain(events.toSpliced(2, 1));
    expect(result.ok ? '' : result.reason).toBe('expected entry 3 but found seq 4: an entry was deleted, duplicated or moved');
  });
});

describe('verifyAuditStore', () => {
  it('verifies what a store holds', async () => {
    const store = new MemoryAuditStore();
    for (const event of chainOf(3)) await store.append(event);
    expect(await verifyAuditStore(store)).toMatchObject({ ok: true, count: 3 });
  });

  it('reports a store that cannot be read as unreadable at the next entry', async () => {
    const events = chainOf(2);
    const store = {
      append: async () => undefined,
      last: async () => events[1],
      async *iterate() {
        yield events[0] as AuditEvent;
        throw new Error('line 2 is not JSON');
      },
    };
    expect(await verifyAuditStore(store)).toEqual({ ok: false, firstBroken: 2, code: 'unreadable', reason: 'line 2 is not JSON' });
  });
});
