import { canonicalJson } from '../digest/canonical-json.js';
import { sha256Hex } from '../digest/json-digest.js';
import type { AuditEvent } from './audit-event.js';

/**
 * The hash of an audit event: lower-case hex SHA-256 of the canonical JSON (keys sorted
 * recursively, no whitespace, UTF-8) of every field except `hash` itself — `prevHash`
 * included, which is what chains the events.
 *
 * @example
 * ```ts
 * const { hash, ...body } = event;
 * auditEventHash(body) === hash; // true for an untouched event
 * ```
 */
export function auditEventHash(event: Omit<AuditEvent, 'hash'> | AuditEvent): string {
  const { hash: _ignored, ...body } = event as AuditEvent;
  return sha256Hex(canonicalJson(body));
}

/**
 * A collaboration's own genesis: the `prevHash` of its first event, derived from its id,
 * so one collaboration's log cannot be passed off as another's.
 *
 * @example
 * ```ts
 * auditGenesis('c_7f3a'); // SHA-256 hex of '{"collaboration":"c_7f3a","log":"cleanroom.audit.v1"}'
 * ```
 */
export function auditGenesis(collaborationId: string): string {
  return sha256Hex(canonicalJson({ collaboration: collaborationId, log: 'cleanroom.audit.v1' }));
}
