/**
 * `a` followed by `b`, always in a new array: never a view of `b`, because a Node Buffer's
 * `slice()` shares its pool, and transferring such a view to a worker would detach it.
 *
 * @example
 * ```ts
 * concatBytes(new Uint8Array([1]), new Uint8Array([2, 3])); // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return new Uint8Array(b);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * How many LF bytes a block holds: the physical lines it ends, for line numbering.
 *
 * @example
 * ```ts
 * countNewlines(new TextEncoder().encode('a\nb\n')); // 2
 * ```
 */
export function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}
