import type { z } from 'zod';
import { CleanRoomError } from '../../core/errors.js';

/**
 * Small pieces shared by the append-only JSON-lines files (the audit logs and the privacy
 * ledgers): reading one line against its schema, making a new file's name durable, and
 * turning a file-system failure into an `io_error` that names the file.
 */

/**
 * One line of a JSON-lines file checked against its schema, or undefined when it is not
 * JSON or does not fit (a torn or tampered line; the caller decides what that means).
 *
 * @example
 * ```ts
 * parseJsonLine('{"seq":1}', auditEventSchema); // undefined: fields are missing
 * ```
 */
export function parseJsonLine<T>(line: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An `io_error` whose message says what could not be done, on which file, and the system's
 * reason.
 *
 * @example
 * ```ts
 * throw ioError(`Cannot read privacy ledger ${path}`, error);
 * ```
 */
export function ioError(what: string, error: unknown): CleanRoomError {
  const message = error instanceof Error ? error.message : String(error);
  return new CleanRoomError('io_error', `${what}: ${message}`, { cause: error });
}
