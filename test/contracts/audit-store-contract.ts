import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/core/audit/audit-event.js';
import { GENESIS_HASH } from '../../src/core/audit/audit-event.js';
import { auditEventHash } from '../../src/core/audit/audit-hash.js';
import type { AuditStore } from '../../src/core/audit/audit-store.js';
import { CleanRoomError } from '../../src/core/errors.js';

/** Builds a valid chain of `count` events, independently of AuditLog. */
export function chainOf(count: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let seq = 1; seq <= count; seq += 1) {
    const body = {
      seq,
      at: new Date(Date.UTC(2024, 4, 1, 12, 0, seq)).toISOString(),
      actor: { party: 'p_1', keyId: 'k_1' },
      action: 'run' as const,
      object: { type: 'run', id: `r_${seq}` },
      params: { analysis: 'overlap', n: seq },
      decision: 'released' as const,
      prevHash: events.at(-1)?.hash ?? GENESIS_HASH,
    };
    events.push({ ...body, hash: auditEventHash(body) });
  }
  return events;
}

async function collect(iterable: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/**
 * The behaviour every AuditStore must have. `make` returns a fresh, empty store and a
 * `reopen` that gives a new store over the same storage (or the same store, for memory).
 */
export function auditStoreContract(
  name: string,
  make: () => Promise<{ store: AuditStore; reopen: () => Promise<AuditStore> }>,
): void {
  describe(`${name} (AuditStore contract)`, () => {
    it('starts empty', async () => {
      const { store } = await make();
      expect(await store.last()).toBeUndefined();
      expect(await collect(store.iterate())).toEqual([]);
    });

    it('returns what was appended, in order, from any seq', async () => {
      const { store } = await make();
      const events = chainOf(5);
      for (const event of events) await store.append(event);
      expect(await collect(store.iterate())).toEqual(events);
      expect(await collect(store.iterate(4))).toEqual(events.slice(3));
      expect(await store.last()).toEqual(events[4]);
    });

    it('keeps appended events after reopening', async () => {
      const { store, reopen } = await make();
      const events = chainOf(3);
      for (const event of events) await store.append(event);
      const again = await reopen();
      expect(await again.last()).toEqual(events[2]);
      expect(await collect(again.iterate())).toEqual(events);
    });

    it('refuses an event that does not continue the chain', async () => {
      const { store } = await make();
      const [first, second, third] = chainOf(3) as [AuditEvent, AuditEvent, AuditEvent];
      await expect(store.append(second)).rejects.toMatchObject({ code: 'internal' });
      await store.append(first);
      await expect(store.append(third)).rejects.toBeInstanceOf(CleanRoomError);
      await expect(store.append({ ...second, prevHash: GENESIS_HASH })).rejects.toMatchObject({ code: 'internal' });
      await store.append(second);
      expect((await store.last())?.seq).toBe(2);
    });

    it('is not changed by a caller mutating an event', async () => {
      const { store } = await make();
      const [first] = chainOf(1) as [AuditEvent];
      await store.append(first);
      first.params['n'] = 99;
      const last = await store.last();
      expect(last?.params['n']).toBe(1);
      if (last !== undefined) last.params['n'] = 98;
      expect((await store.last())?.params['n']).toBe(1);
    });
  });
}
