/**
 * An error the API answered with (`{"error": {code, message, details}}`), or a network
 * failure (status 0, code `network`).
 *
 * @example
 * ```ts
 * try { await api.get('/v1/collaborations/c_x'); } catch (e) { if (e instanceof ApiError && e.status === 404) ... }
 * ```
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
