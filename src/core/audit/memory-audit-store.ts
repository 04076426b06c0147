import type { AuditEvent } from './audit-event.js';
import type { AuditStore } from './audit-store.js';
import { assertContinues } from './chain-continuity.js';

/**
 * An in-memory {@link AuditStore} for tests and throwaway rooms. Events are copied in and
 * out, so a caller mutating an event cannot change the log.
 *
 * @example
 * ```ts
 * const log = new AuditLog(new MemoryAuditStore(), { clock: () => new Date() });
 * ```
 */
export class MemoryAuditStore implements AuditStore {
  readonly #events: AuditEvent[] = [];

  async append(event: AuditEvent): Promise<void> {
    assertContinues(this.#events.at(-1), event);
    this.#events.push(structuredClone(event));
  }

  async last(): Promise<AuditEvent | undefined> {
    const last = this.#events.at(-1);
    return last === undefined ? undefined : structuredClone(last);
  }

  async *iterate(fromSeq = 1): AsyncIterable<AuditEvent> {
    for (const event of [...this.#events]) {
      if (event.seq >= fromSeq) yield structuredClone(event);
    }
  }
}
