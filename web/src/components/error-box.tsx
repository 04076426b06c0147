import { ApiError } from '../api/api-error.js';

/**
 * An error as a person reads it: the server's message, and its code and status.
 *
 * @example
 * ```tsx
 * {error && <ErrorBox error={error} />}
 * ```
 */
export function ErrorBox({ error }: { error: Error }) {
  return (
    <div class="error" role="alert">
      {error.message}
      {error instanceof ApiError && error.status > 0 ? <small> ({error.code}, HTTP {error.status})</small> : null}
    </div>
  );
}
