/**
 * The public face of cleanroom's audit module: an append-only, hash-chained log of who
 * did what, when, to which object, with which decision and a digest of what was returned;
 * anyone in the collaboration can verify it. File storage lives outside core
 * (`src/node/audit/file-audit-store.ts`).
 *
 * @example
 * ```ts
 * import { AuditLog, MemoryAuditStore, verifyChain } from './core/audit/index.js';
 * const log = new AuditLog(new MemoryAuditStore(), { clock: () => new Date() });
 * await log.append({ actor: { party: 'p_1', keyId: 'k_1' }, action: 'attest', object: { type: 'collaboration', id: 'c_1' } });
 * await log.verify(); // { ok: true, count: 1, head: { seq: 1, hash: '…' } }
 * ```
 */
export { AUDIT_ACTIONS, AUDIT_DECISIONS, GENESIS_HASH, auditEntrySchema, auditEventSchema } from './audit-event.js';
export type { AuditAction, AuditActor, AuditDecision, AuditEntry, AuditEvent, AuditObject, JsonValue } from './audit-event.js';
export { auditEventHash, auditGenesis } from './audit-hash.js';
export type { AuditStore } from './audit-store.js';
export { assertContinues } from './chain-continuity.js';
export { MemoryAuditStore } from './memory-audit-store.js';
export { AuditLog } from './audit-log.js';
export type { AuditLogOptions } from './audit-log.js';
export { CHAIN_BREAKS, ChainVerifier, verifyAuditStore, verifyChain } from './verify-chain.js';
export type { AuditHead, ChainBreak, ChainVerification, VerifyChainOptions } from './verify-chain.js';
