import { readCsvRecords } from '../../../src/core/csv/read-csv-records.js';
import { csvField } from '../../../src/core/prepare/csv-field.js';
import type { PreparedChunk } from '../../../src/core/prepare/prepare-chunk.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Keeps only the columns at `keep` (in that order) of a prepared chunk's rows, so that a
 * column the template does not name never leaves the browser. Prepared rows are
 * well-formed CSV written by prepareChunk, one record per row; fingerprints, masks, stats
 * and rejects are the input's and stay as they are.
 *
 * @example
 * ```ts
 * projectChunk(prepareChunk(bytes, 2, settings), [2, 0]); // rows now hold columns 2 and 0
 * ```
 */
export function projectChunk(chunk: PreparedChunk, keep: readonly number[]): PreparedChunk {
  const parts: string[] = [];
  readCsvRecords(decoder.decode(chunk.bytes), {
    delimiter: ',',
    firstLine: 1,
    onRecord: (fields) => {
      parts.push(`${keep.map((i) => csvField(fields[i] ?? '')).join(',')}\n`);
    },
    onProblem: (p) => {
      throw new Error(`Cannot project prepared rows: line ${p.line}: ${p.reason}`);
    },
  });
  const ends = new Uint32Array(parts.length);
  let at = 0;
  const encoded = parts.map((part, i) => {
    const bytes = encoder.encode(part);
    at += bytes.length;
    ends[i] = at;
    return bytes;
  });
  const bytes = new Uint8Array(at);
  let offset = 0;
  for (const piece of encoded) {
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return { ...chunk, bytes, ends };
}
