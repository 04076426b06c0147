import { z } from 'zod';

/**
 * What an audit event records. Closed, so that a verifier and a reader agree on the
 * vocabulary; adding an action is a code change reviewed like any other.
 *
 * @example
 * ```ts
 * AUDIT_ACTIONS.includes('release'); // true
 * ```
 */
export const AUDIT_ACTIONS = [
  'create_party',
  'issue_key',
  'revoke_key',
  'create_collaboration',
  'delete_collaboration',
  'attest',
  'upload',
  'run',
  'review',
  'release',
  'refuse',
  'export_audience',
  'read',
  'expire',
  'blind_key',
  'blind_answer',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The decision an event records: `accepted`/`rejected` (an upload, a review), `released`,
 * `suppressed` (below the threshold, nothing or only part returned), `refused` (not
 * allowed: parameters, abilities, missing attestation), `pending` (waiting for review),
 * `approved` (a reviewer let it out).
 *
 * @example
 * ```ts
 * AUDIT_DECISIONS.includes('suppressed'); // true
 * ```
 */
export const AUDIT_DECISIONS = ['accepted', 'rejected', 'released', 'suppressed', 'refused', 'pending', 'approved'] as const;
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/** `prevHash` of the first event of a log without its own genesis: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** A JSON value, as audit parameters hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Who acted: the party (or `operator`, or `system` for scheduled work) and which API key. */
export interface AuditActor {
  party: string;
  keyId: string;
}

/** What was acted on: `{ type: 'run', id: 'run_42' }`, `{ type: 'dataset', id: 'exposures' }`. */
export interface AuditObject {
  type: string;
  id: string;
}

/**
 * What a caller appends; the log adds `seq`, `at`, `prevHash` and `hash`.
 *
 * `params` are the action's parameters as JSON — analysis parameters (which the template
 * restricts to allowed values and bounds), dataset names, versions, row counts. Never raw
 * identifiers, hashed identifiers, row values or secrets: every member of the
 * collaboration can read the log.
 */
export interface AuditEntry {
  actor: AuditActor;
  action: AuditAction;
  object: AuditObject;
  params?: { [key: string]: JsonValue };
  decision?: AuditDecision;
  /** Why, for refusals, suppressions and rejections; never data. */
  reason?: string;
  /** `sha256:<hex>` of what was returned (`jsonDigest` of a result, or of an export's bytes). */
  resultDigest?: string;
}

/**
 * One event of the hash-chained log. `hash` is the lower-case hex SHA-256 of the canonical
 * JSON (`canonicalJson`) of the event without its `hash` field; `prevHash` is the previous
 * event's `hash`, or the log's genesis for `seq` 1.
 *
 * @example
 * ```ts
 * const event: AuditEvent = {
 *   seq: 1, at: '2024-05-01T12:00:00.000Z', actor: { party: 'p_1', keyId: 'k_1' },
 *   action: 'upload', object: { type: 'dataset', id: 'exposures' }, params: { version: 1, rows: 1000 },
 *   decision: 'accepted', prevHash: GENESIS_HASH, hash: '…',
 * };
 * ```
 */
export interface AuditEvent extends AuditEntry {
  seq: number;
  /** ISO 8601 time from the log's injected clock. */
  at: string;
  params: { [key: string]: JsonValue };
  prevHash: string;
  hash: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const label = z.string().min(1).max(200);
const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/**
 * The zod schema of what a caller may append (see {@link AuditEntry}).
 *
 * @example
 * ```ts
 * auditEntrySchema.safeParse({ actor: { party: 'p', keyId: 'k' }, action: 'run', object: { type: 'run', id: 'r1' } }).success; // true
 * ```
 */
export const auditEntrySchema = z.strictObject({
  actor: z.strictObject({ party: label, keyId: label }),
  action: z.enum(AUDIT_ACTIONS),
  object: z.strictObject({ type: label, id: label }),
  params: z.record(z.string(), jsonValue).optional(),
  decision: z.enum(AUDIT_DECISIONS).optional(),
  reason: z.string().max(2000).optional(),
  resultDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/).optional(),
});

/**
 * The zod schema of a stored event, used by the verifier: an entry plus a positive
 * integer `seq`, an ISO `at` and 64-hex `prevHash` and `hash`.
 *
 * @example
 * ```ts
 * auditEventSchema.safeParse(JSON.parse(line)).success;
 * ```
 */
export const auditEventSchema = auditEntrySchema.extend({
  seq: z.number().int().min(1),
  at: z.iso.datetime({ offset: true }),
  params: z.record(z.string(), jsonValue),
  prevHash: z.string().regex(HEX64),
  hash: z.string().regex(HEX64),
});
