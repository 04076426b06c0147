import type { AuditEvent } from './audit-event.js';

/**
 * Where audit events are kept. Core declares it; adapters implement it (memory here,
 * JSON Lines in `src/node/audit`, a table in the engine later). One shared contract suite
 * (`test/contracts/audit-store-contract.ts`) runs against every implementation.
 *
 * - `append` resolves only once the event is durable (written and flushed); it rejects
 *   when it is not, and then leaves nothing half-written. It refuses an event that does not
 *   continue the chain (`seq` = last `seq` + 1, `prevHash` = last `hash`) with a
 *   CleanRoomError `internal`: two writers on one log are a bug, not a race to win.
 * - `last` is the last durable event, or undefined for an empty log.
 * - `iterate(fromSeq)` yields the stored events with `seq >= fromSeq` in stored order, as
 *   stored (the verifier, not the store, judges them).
 *
 * @example
 * ```ts
 * const store: AuditStore = new MemoryAuditStore();
 * for await (const event of store.iterate(1)) event.seq;
 * ```
 */
export interface AuditStore {
  append(event: AuditEvent): Promise<void>;
  last(): Promise<AuditEvent | undefined>;
  iterate(fromSeq?: number): AsyncIterable<AuditEvent>;
}
