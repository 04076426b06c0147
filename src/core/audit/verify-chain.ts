import type { AuditEvent } from './audit-event.js';
import { GENESIS_HASH, auditEventSchema } from './audit-event.js';
import { auditEventHash } from './audit-hash.js';
import type { AuditStore } from './audit-store.js';

/** The last event of a log as someone saw it: keep one to detect later truncation. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Why a chain does not verify: an event that is not an audit event (`malformed`), or that
 * could not be read (`unreadable`); a `seq` out of place (a deleted, duplicated or
 * reordered event); a `prevHash` that is not the previous event's hash; a `hash` that is
 * not the event's own; a log shorter than a known head (`truncated`) or disagreeing with it.
 *
 * @example
 * ```ts
 * CHAIN_BREAKS.includes('hash_mismatch'); // true
 * ```
 */
export const CHAIN_BREAKS = [
  'malformed',
  'unreadable',
  'seq_mismatch',
  'prev_hash_mismatch',
  'hash_mismatch',
  'truncated',
  'head_mismatch',
] as const;
export type ChainBreak = (typeof CHAIN_BREAKS)[number];

/**
 * The outcome of a verification. `firstBroken` is the `seq` the log should have at the
 * first position that fails: the edited event, the first missing or misplaced one, or
 * one past the end of a truncated log.
 */
export type ChainVerification =
  | { ok: true; count: number; head: AuditHead | null }
  | { ok: false; firstBroken: number; code: ChainBreak; reason: string };

/** Options of {@link verifyChain}. */
export interface VerifyChainOptions {
  /** The `prevHash` of event 1: `GENESIS_HASH` (the default) or the collaboration's `auditGenesis`. */
  genesis?: string;
  /**
   * A head seen earlier (a receipt). Without one, deleting the last events is invisible:
   * the shorter log is a valid chain.
   */
  head?: AuditHead;
}

type Broken = Extract<ChainVerification, { ok: false }>;

/**
 * Checks events one by one, in order; {@link verifyChain} and {@link verifyAuditStore}
 * feed it. `push` returns the break at the first bad event (then stop feeding it),
 * `finish` the verdict.
 *
 * @example
 * ```ts
 * const verifier = new ChainVerifier({});
 * for (const event of events) if (verifier.push(event)) break;
 * verifier.finish(); // { ok: true, count: 3, head: { seq: 3, hash: '…' } }
 * ```
 */
export class ChainVerifier {
  readonly #genesis: string;
  readonly #head: AuditHead | undefined;
  #last: AuditHead | null = null;
  #headHashSeen: string | undefined;
  #broken: Broken | undefined;

  constructor(options: VerifyChainOptions = {}) {
    this.#genesis = options.genesis ?? GENESIS_HASH;
    this.#head = options.head;
  }

  /** Checks the next event; returns the break if this event breaks the chain. */
  push(event: unknown): Broken | undefined {
    if (this.#broken !== undefined) return this.#broken;
    const expected = (this.#last?.seq ?? 0) + 1;
    const parsed = auditEventSchema.safeParse(event);
    if (!parsed.success) {
      return this.#break(expected, 'malformed', `entry ${expected} is not an audit event: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    const current = parsed.data as AuditEvent;
    if (current.seq !== expected) {
      return this.#break(expected, 'seq_mismatch', `expected entry ${expected} but found seq ${current.seq}: an entry was deleted, duplicated or moved`);
    }
    const prevHash = this.#last?.hash ?? this.#genesis;
    if (current.prevHash !== prevHash) {
      const previous = expected === 1 ? 'the genesis' : `the hash of entry ${expected - 1}`;
      return this.#break(expected, 'prev_hash_mismatch', `prevHash of entry ${expected} is not ${previous}: entry ${expected} or an earlier one was altered`);
    }
    if (auditEventHash(current) !== current.hash) {
      return this.#break(expected, 'hash_mismatch', `entry ${expected} does not hash to its recorded hash: its content was altered`);
    }
    this.#last = { seq: current.seq, hash: current.hash };
    if (this.#head !== undefined && current.seq === this.#head.seq) this.#headHashSeen = current.hash;
    return undefined;
  }

  /** Records an event that could not be read at all (a store's parse error). */
  unreadable(reason: string): Broken {
    return this.#break((this.#last?.seq ?? 0) + 1, 'unreadable', reason);
  }

  /** The verdict on everything pushed so far. */
  finish(): ChainVerification {
    if (this.#broken !== undefined) return this.#broken;
    const count = this.#last?.seq ?? 0;
    const head = this.#head;
    if (head !== undefined && count < head.seq) {
      return this.#break(count + 1, 'truncated', `the log ends at entry ${count} but entry ${head.seq} was seen before: entries ${count + 1} to ${head.seq} were deleted`);
    }
    if (head !== undefined && this.#headHashSeen !== head.hash) {
      return this.#break(head.seq, 'head_mismatch', `entry ${head.seq} does not have the hash seen before: the log was rewritten up to it`);
    }
    return { ok: true, count, head: this.#last };
  }

  #break(firstBroken: number, code: ChainBreak, reason: string): Broken {
    this.#broken = { ok: false, firstBroken, code, reason };
    return this.#broken;
  }
}

/**
 * Verifies a whole log held in memory: recomputes every hash and link, and names the
 * first broken entry.
 *
 * @example
 * ```ts
 * verifyChain(events);                        // { ok: true, count: 5, head: { seq: 5, hash: '…' } }
 * verifyChain(events.toSpliced(2, 1));        // { ok: false, firstBroken: 3, code: 'seq_mismatch', reason: '…' }
 * verifyChain(events.slice(0, 4), { head });  // { ok: false, firstBroken: 5, code: 'truncated', reason: '…' }
 * ```
 */
export function verifyChain(events: Iterable<unknown>, options: VerifyChainOptions = {}): ChainVerification {
  const verifier = new ChainVerifier(options);
  for (const event of events) if (verifier.push(event) !== undefined) break;
  return verifier.finish();
}

/**
 * Verifies a store's log as it streams, without loading it whole. A read error of the
 * store (a line that is not JSON) is reported as `unreadable` at the entry it should hold.
 *
 * @example
 * ```ts
 * await verifyAuditStore(store, { genesis: auditGenesis(collaborationId) });
 * ```
 */
export async function verifyAuditStore(store: AuditStore, options: VerifyChainOptions = {}): Promise<ChainVerification> {
  const verifier = new ChainVerifier(options);
  try {
    for await (const event of store.iterate(1)) if (verifier.push(event) !== undefined) break;
  } catch (error) {
    return verifier.unreadable(error instanceof Error ? error.message : String(error));
  }
  return verifier.finish();
}
