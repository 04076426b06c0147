/**
 * The list in an API answer, whether it came bare (`[...]`) or wrapped (`{ key: [...] }`,
 * `{ items: [...] }`, `{ data: [...] }`).
 *
 * @example
 * ```ts
 * listOf({ collaborations: [a, b] }, 'collaborations'); // [a, b]
 * ```
 */
export function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const name of [key, 'items', 'data']) if (Array.isArray(record[name])) return record[name] as T[];
  }
  return [];
}

/**
 * The object in an API answer, bare or wrapped as `{ key: {...} }`.
 *
 * @example
 * ```ts
 * objectOf<Run>({ run: { id: 'run_1' } }, 'run').id; // 'run_1'
 * ```
 */
export function objectOf<T>(body: unknown, key: string): T {
  if (body !== null && typeof body === 'object') {
    const inner = (body as Record<string, unknown>)[key];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) return inner as T;
  }
  return body as T;
}
