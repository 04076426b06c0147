/** Where the UI is, parsed from the location hash. */
export type Route =
  | { page: 'list' }
  | { page: 'new' }
  | { page: 'collaboration'; id: string; tab: string; runId?: string };

/**
 * Parses a location hash: `#/`, `#/new`, `#/c/<id>[/<tab>]`, `#/c/<id>/runs/<runId>`.
 *
 * @example
 * ```ts
 * parseRoute('#/c/c_01/runs/run_7'); // { page: 'collaboration', id: 'c_01', tab: 'runs', runId: 'run_7' }
 * ```
 */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'new') return { page: 'new' };
  if (parts[0] === 'c' && parts[1] !== undefined) {
    if (parts[2] === 'runs' && parts[3] !== undefined) return { page: 'collaboration', id: parts[1], tab: 'runs', runId: parts[3] };
    return { page: 'collaboration', id: parts[1], tab: parts[2] ?? 'overview' };
  }
  return { page: 'list' };
}
