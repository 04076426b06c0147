/**
 * A JSON path as a problem path: segments joined by dots, array indices as numbers,
 * `''` for the root.
 *
 * @example
 * ```ts
 * jsonPath(['identity', 'matchKeys', 2]); // 'identity.matchKeys.2'
 * ```
 */
export function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.map(String).join('.');
}

/**
 * The value at a path of a parsed JSON document, following own properties only;
 * `undefined` when any step is missing.
 *
 * @example
 * ```ts
 * valueAtPath({ privacy: { minPeople: 1 } }, ['privacy', 'minPeople']); // 1
 * ```
 */
export function valueAtPath(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
