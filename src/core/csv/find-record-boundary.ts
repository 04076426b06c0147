/**
 * Finds where a block of CSV bytes can be cut between two records, so that each piece
 * can be parsed on its own (by another thread, or later). The block must start at the
 * start of a record. Quotes follow the same rules as {@link readCsvRecords}: a quote
 * opens a quoted field only at the start of a field, and `""` inside one is a literal.
 *
 * Returns the offset just past the last newline that ends a record, or -1 when the block
 * holds no complete record (a record longer than the block, or an open quoted field).
 * Scans with native `indexOf` jumps, so the cost follows the number of quotes, not bytes.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('a,"x\ny"\nb,c\nd,');
 * findRecordBoundary(bytes, 44); // 12: the cut after "b,c\n"; "d," waits for more bytes
 * ```
 */
export function findRecordBoundary(bytes: Uint8Array, delimiterByte: number): number {
  const n = bytes.length;
  let pos = 0;
  let boundary = -1;
  for (;;) {
    const q = bytes.indexOf(0x22, pos);
    if (q === -1) {
      const nl = bytes.lastIndexOf(0x0a);
      return nl >= pos ? nl + 1 : boundary;
    }
    const nl = q > pos ? bytes.lastIndexOf(0x0a, q - 1) : -1;
    if (nl >= pos) boundary = nl + 1;
    const prev = q === 0 ? 0x0a : bytes[q - 1];
    if (prev !== delimiterByte && prev !== 0x0a) {
      pos = q + 1; // a literal quote inside an unquoted field
      continue;
    }
    let j = q + 1;
    for (;;) {
      const c = bytes.indexOf(0x22, j);
      // Unclosed in this block, or closed on its last byte (it may be the first half of "").
      if (c === -1 || c + 1 >= n) return boundary;
      if (bytes[c + 1] === 0x22) {
        j = c + 2;
        continue;
      }
      pos = c + 1;
      break;
    }
  }
}
