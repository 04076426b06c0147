import { CleanRoomError } from '../errors.js';
import { canonicalJson } from '../digest/canonical-json.js';
import type { AuditEntry, AuditEvent, JsonValue } from './audit-event.js';
import { GENESIS_HASH, auditEntrySchema } from './audit-event.js';
import { auditEventHash } from './audit-hash.js';
import type { AuditStore } from './audit-store.js';
import type { AuditHead, ChainVerification } from './verify-chain.js';
import { verifyAuditStore } from './verify-chain.js';

/** Options of {@link AuditLog}. */
export interface AuditLogOptions {
  /** The time source of `at`; core never reads the clock itself. */
  clock: () => Date;
  /** `prevHash` of event 1; default `GENESIS_HASH`, or `auditGenesis(collaborationId)`. */
  genesis?: string;
}

/**
 * The append-only, hash-chained audit log of one collaboration (or of the operator).
 * `append` numbers, timestamps, chains and hashes an entry and resolves once the store
 * made it durable. Appends are serialised: concurrent callers get consecutive `seq`s in
 * call order. A store failure rejects that append with a CleanRoomError `io_error` — the
 * caller must then fail its action — and consumes no `seq`.
 *
 * One AuditLog per store: the store refuses events that do not continue its chain, so a
 * second writer fails loudly instead of forking the log.
 *
 * @example
 * ```ts
 * const log = new AuditLog(new MemoryAuditStore(), { clock: () => new Date(), genesis: auditGenesis('c_1') });
 * const event = await log.append({
 *   actor: { party: 'p_retailer', keyId: 'k_2' },
 *   action: 'run',
 *   object: { type: 'run', id: 'r_9' },
 *   params: { analysis: 'attribution', lookback_days: 30 },
 *   decision: 'released',
 *   resultDigest: jsonDigest(result),
 * });
 * event.seq; // 1
 * await log.verify(); // { ok: true, count: 1, head: { seq: 1, hash: event.hash } }
 * ```
 */
export class AuditLog {
  readonly #store: AuditStore;
  readonly #clock: () => Date;
  readonly #genesis: string;
  /** undefined: not known yet (before the first append, or after a failed one). */
  #head: AuditHead | null | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(store: AuditStore, options: AuditLogOptions) {
    const { clock, genesis = GENESIS_HASH } = options;
    this.#store = store;
    this.#clock = clock;
    this.#genesis = genesis;
  }

  /** Appends one entry; resolves with the durable event. */
  append(entry: AuditEntry): Promise<AuditEvent> {
    const appended = this.#queue.then(() => this.#appendNow(entry));
    this.#queue = appended.catch(() => undefined);
    return appended;
  }

  /** The last durable event's seq and hash (a receipt to verify against later), or null. */
  head(): Promise<AuditHead | null> {
    const head = this.#queue.then(() => this.#loadHead());
    this.#queue = head.catch(() => undefined);
    return head;
  }

  /** Verifies the stored chain from the genesis, against `head` when given. */
  verify(options: { head?: AuditHead } = {}): Promise<ChainVerification> {
    return verifyAuditStore(this.#store, { ...options, genesis: this.#genesis });
  }

  async #appendNow(entry: AuditEntry): Promise<AuditEvent> {
    const checked = auditEntrySchema.safeParse(entry);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new CleanRoomError(
        'invalid_argument',
        `Cannot record an audit entry as given: ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`,
        { details: { path: issue?.path.join('.') ?? '' } },
      );
    }
    const at = this.#clock();
    if (Number.isNaN(at.getTime())) {
      throw new CleanRoomError('internal', 'Cannot timestamp an audit event: the clock returned an invalid date');
    }
    const previous = await this.#loadHead();
    // A JSON round trip detaches the params from the caller, so the hashed value is the stored one.
    const params = JSON.parse(canonicalJson(entry.params ?? {})) as Record<string, JsonValue>;
    const body: Omit<AuditEvent, 'hash'> = {
      seq: (previous?.seq ?? 0) + 1,
      at: at.toISOString(),
      actor: { party: entry.actor.party, keyId: entry.actor.keyId },
      action: entry.action,
      object: { type: entry.object.type, id: entry.object.id },
      params,
      ...(entry.decision === undefined ? {} : { decision: entry.decision }),
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      ...(entry.resultDigest === undefined ? {} : { resultDigest: entry.resultDigest }),
      prevHash: previous?.hash ?? this.#genesis,
    };
    const event: AuditEvent = { ...body, hash: auditEventHash(body) };
    try {
      await this.#store.append(event);
    } catch (error) {
      // The write may or may not have landed: re-read the head before the next append.
      this.#head = undefined;
      throw new CleanRoomError(
        'io_error',
        `Cannot record audit event ${event.seq} (${event.action} ${event.object.type} ${event.object.id}): the audit store failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, details: { seq: event.seq, action: event.action } },
      );
    }
    this.#head = { seq: event.seq, hash: event.hash };
    return event;
  }

  async #loadHead(): Promise<AuditHead | null> {
    if (this.#head === undefined) {
      const last = await this.#store.last();
      this.#head = last === undefined ? null : { seq: last.seq, hash: last.hash };
    }
    return this.#head;
  }
}
