/**
 * The one error class of cleanroom, with a closed set of codes.
 *
 * Messages follow one form: "Cannot X as Y: current value is Z". The code, not the
 * message, decides how an error is rendered: {@link exitCodeFor} maps it to a CLI exit
 * code (and the server, later, maps it to an HTTP status).
 *
 * @example
 * ```ts
 * throw new CleanRoomError('invalid_input', 'Cannot read customers.csv as CSV: the file is empty', {
 *   details: { file: 'customers.csv' },
 * });
 * ```
 */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_argument'
  | 'not_found'
  | 'io_error'
  | 'refused'
  | 'forbidden'
  | 'conflict'
  | 'timeout'
  | 'internal';

/** Where a problem sits in an input: a file, a 1-based line and column, a field name. */
export interface ProblemLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

export interface CleanRoomErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class CleanRoomError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: CleanRoomErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CleanRoomError';
    this.code = code;
    this.details = options.details ?? {};
  }

  /** The error as the JSON body the API and `--json` CLI output use. */
  toJSON(): { error: { code: ErrorCode; message: string; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

const EXIT_CODES: Readonly<Record<ErrorCode, number>> = Object.freeze({
  invalid_input: 65, // EX_DATAERR
  invalid_argument: 64, // EX_USAGE
  not_found: 66, // EX_NOINPUT
  io_error: 74, // EX_IOERR
  refused: 77, // EX_NOPERM: a policy (the engine sandbox, a guardrail) refused the request
  forbidden: 77, // EX_NOPERM: the caller's role does not allow it
  conflict: 75, // EX_TEMPFAIL: the object's state does not allow it yet (missing attestation, dataset, review)
  timeout: 75, // EX_TEMPFAIL: a time limit stopped the work; it may succeed later or smaller
  internal: 70, // EX_SOFTWARE
});

/**
 * The process exit code for an error code (sysexits.h values).
 *
 * @example
 * ```ts
 * exitCodeFor('invalid_input'); // 65
 * ```
 */
export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code];
}
