/**
 * A 64-bit fingerprint of a record's fields as two 32-bit halves (each field followed by a
 * separator, so a record reads the same whether or not its fields were quoted in the file),
 * for spotting duplicate records without keeping them. Not cryptographic: it only has to
 * spread well and be fast in plain JavaScript (no crypto call per row); the chance that two
 * different records of a 10M-row file share a fingerprint is about 3 in a million.
 *
 * Hand-written because it must run unchanged in Node workers and in the browser, over
 * JavaScript strings, at a fraction of a microsecond a row.
 *
 * @example
 * ```ts
 * const out = new Uint32Array(2);
 * fingerprintFields(['a', 'b'], out, 0); // out[0], out[1] now hold the two halves
 * ```
 */
export function fingerprintFields(fields: readonly string[], out: Uint32Array, at: number): void {
  // Two multiply-xor lanes (FNV-1a and a second prime), each finished with murmur3's
  // avalanche: two operations per character and lane, about 0.2 us for a 100-char record.
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let length = 0;
  for (let f = 0; f < fields.length; f++) {
    const text = fields[f]!;
    length += text.length + 1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    // A separator after each field, so ['ab', 'c'] and ['a', 'bc'] differ.
    h1 = Math.imul(h1 ^ 0xffff, 0x01000193);
    h2 = Math.imul(h2 ^ 0xffff, 0x5bd1e995);
  }
  out[at] = avalanche(h1 ^ length);
  out[at + 1] = avalanche(h2 ^ Math.imul(length, 0x27d4eb2f));
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
