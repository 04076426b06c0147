import { CleanRoomError } from '../errors.js';
import type { AuditEvent } from './audit-event.js';

/**
 * Throws a CleanRoomError `internal` unless `event` continues the chain after `last`
 * (`seq` one more, `prevHash` its `hash`; `seq` 1 on an empty log). Stores call it before
 * writing, so a second writer cannot fork the log.
 *
 * @example
 * ```ts
 * assertContinues(await store.last(), event);
 * ```
 */
export function assertContinues(last: AuditEvent | undefined, event: AuditEvent): void {
  const expectedSeq = (last?.seq ?? 0) + 1;
  if (event.seq === expectedSeq && (last === undefined || event.prevHash === last.hash)) return;
  throw new CleanRoomError(
    'internal',
    `Cannot append audit event ${event.seq} as the next event: the log expects seq ${expectedSeq}${last === undefined ? '' : ` after hash ${last.hash}`}; is another writer appending to this log?`,
    { details: { seq: event.seq, expectedSeq } },
  );
}
