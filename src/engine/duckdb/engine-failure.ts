import { CleanRoomError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';

const KINDS = [
  'Binder',
  'Catalog',
  'Constraint',
  'Conversion',
  'Dependency',
  'Invalid Configuration',
  'Invalid Input',
  'Invalid type',
  'INTERRUPT',
  'IO',
  'Not implemented',
  'Out of Memory',
  'Out of Range',
  'Parser',
  'Permission',
  'Serialization',
  'Syntax',
  'TransactionContext',
  'Type',
  'INTERNAL',
] as const;

/**
 * The engine's own error, reduced to its class ('Binder', 'Conversion', ...): DuckDB
 * messages can quote data values, so the message itself is dropped here and never
 * reaches a caller or a log. Attached as the `cause` of the CleanRoomError we throw.
 *
 * @example
 * ```ts
 * new EngineFailure(new Error('Conversion Error: Could not convert string "alice@x.com"')).message; // 'Conversion'
 * ```
 */
export class EngineFailure extends Error {
  readonly kind: string;

  constructor(error: unknown) {
    const kind = engineErrorKind(error);
    super(kind);
    this.name = 'EngineFailure';
    this.kind = kind;
  }
}

/**
 * A CleanRoomError with a generic message for an engine error: the caller learns what
 * failed and where, never the engine's message.
 *
 * @example
 * ```ts
 * throw engineError(error, 'Cannot run the query in room collab-7: the engine rejected it');
 * ```
 */
export function engineError(error: unknown, message: string, code: ErrorCode = 'internal'): CleanRoomError {
  if (error instanceof CleanRoomError) return error;
  return new CleanRoomError(code, message, { cause: new EngineFailure(error) });
}

function engineErrorKind(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  // Only the fixed prefix is read, and only a known class is kept.
  for (const kind of KINDS) if (message.startsWith(`${kind} Error:`)) return kind;
  return 'Unknown';
}
