import { CleanRoomError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';

/**
 * Error codes the HTTP API answers with: the core's closed set plus the three that only
 * exist at the edge (no or a bad key, a body over a limit, too many requests).
 *
 * @example
 * ```ts
 * const code: ApiErrorCode = 'too_large';
 * ```
 */
export type ApiErrorCode = ErrorCode | 'unauthorized' | 'too_large' | 'rate_limited';

/** The one table from error code to HTTP status. */
const STATUS: Readonly<Record<ApiErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 504>> = Object.freeze({
  invalid_input: 400,
  invalid_argument: 422,
  unauthorized: 401,
  forbidden: 403,
  refused: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  io_error: 500,
  internal: 500,
  timeout: 504,
});

/**
 * The HTTP status of an error code.
 *
 * @example
 * ```ts
 * statusFor('not_found'); // 404
 * ```
 */
export function statusFor(code: ApiErrorCode): (typeof STATUS)[ApiErrorCode] {
  return STATUS[code];
}

/**
 * An error raised by the HTTP layer itself (auth, limits, body parsing), rendered like a
 * CleanRoomError.
 *
 * @example
 * ```ts
 * throw new ApiError('too_large', 'Cannot accept the upload: the body exceeds 1048576 bytes', { limit: 1048576 });
 * ```
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ApiErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

/** The body and status of an error response. */
export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; details: Record<string, unknown> };
}

/**
 * Renders any thrown value as the API's error body. Internal and I/O errors get a generic
 * message: their text may come from the engine or the filesystem and must not reach a caller.
 *
 * @example
 * ```ts
 * const { status, body } = renderError(new CleanRoomError('not_found', 'Cannot find collaboration c_1'));
 * ```
 */
export function renderError(error: unknown): { status: ReturnType<typeof statusFor>; body: ErrorBody } {
  if (error instanceof CleanRoomError || error instanceof ApiError) {
    const code = error.code;
    if (code === 'internal' || code === 'io_error') {
      return { status: statusFor(code), body: { error: { code, message: 'Cannot complete the request: an internal error occurred', details: {} } } };
    }
    return { status: statusFor(code), body: { error: { code, message: error.message, details: error.details } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'Cannot complete the request: an internal error occurred', details: {} } } };
}
