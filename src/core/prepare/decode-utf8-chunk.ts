/** A physical line holding bytes that are not valid UTF-8. */
export interface BadUtf8Line {
  line: number;
  /** 1-based byte position of the first invalid byte in that line. */
  byte: number;
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Decodes a chunk as UTF-8. Valid input costs one native decode; invalid input is
 * decoded with U+FFFD replacements and the lines holding bad bytes are listed, so the
 * records on them can be rejected by line instead of failing the whole file.
 *
 * @example
 * ```ts
 * decodeUtf8Chunk(new Uint8Array([0x61, 0xff, 0x0a]), 5).badLines; // [{ line: 5, byte: 2 }]
 * ```
 */
export function decodeUtf8Chunk(bytes: Uint8Array, firstLine: number): { text: string; badLines?: BadUtf8Line[] } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const badLines: BadUtf8Line[] = [];
    let line = firstLine;
    for (let start = 0; start < bytes.length; line++) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl === -1 ? bytes.length : nl;
      const at = firstInvalidByte(bytes.subarray(start, end));
      if (at !== -1) badLines.push({ line, byte: at + 1 });
      start = end + 1;
    }
    return { text: lenient.decode(bytes), badLines };
  }
}

/**
 * The decoder fails on the byte that breaks a sequence; the sequence began at its lead
 * byte, up to three bytes before, which is what a person looking at the file wants.
 */
function sequenceStart(bytes: Uint8Array, at: number): number {
  let s = at;
  while (s > 0 && s > at - 3 && ((bytes[s] ?? 0) & 0xc0) === 0x80) s--;
  if ((bytes[s] ?? 0) < 0x80 && s > 0 && (bytes[s - 1] ?? 0) >= 0xc0) s--;
  return s;
}

/**
 * Index of the byte at which `bytes` stops being UTF-8, or -1. Feeds a streaming strict
 * decoder one byte at a time: only lines already known to be bad come here.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return sequenceStart(bytes, i);
    }
  }
  try {
    decoder.decode();
    return -1;
  } catch {
    return bytes.length - 1;
  }
}
