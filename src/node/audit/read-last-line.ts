import type { FileHandle } from 'node:fs/promises';

const CHUNK = 64 * 1024;

/** The end of a file: its size, its last non-empty line and where that line starts. */
export interface LastLine {
  size: number;
  /** The last non-empty line without its line break, or undefined for a file of no lines. */
  line: string | undefined;
  /** Byte offset where `line` starts. */
  lineStart: number;
  /** Whether the file ends with a line break. */
  terminated: boolean;
}

/**
 * Reads a file's last line backwards in 64 KiB chunks, so opening a long log does not read
 * all of it.
 *
 * @example
 * ```ts
 * const { line, terminated } = await readLastLine(handle); // '{"seq":7,…}', true
 * ```
 */
export async function readLastLine(handle: FileHandle): Promise<LastLine> {
  const { size } = await handle.stat();
  let end = size;
  let tail = Buffer.alloc(0);
  // Skip trailing line breaks, then find the break before the last line.
  for (;;) {
    const text = tail.toString('latin1');
    const trimmed = text.replace(/\n+$/, '');
    const cut = trimmed.lastIndexOf('\n');
    if (cut >= 0 || end === 0) {
      const startInTail = cut + 1;
      const lineBytes = tail.subarray(startInTail, Buffer.byteLength(trimmed, 'latin1'));
      const terminated = size > 0 && text.endsWith('\n');
      if (lineBytes.length === 0) return { size, line: undefined, lineStart: end + startInTail, terminated };
      return { size, line: lineBytes.toString('utf8'), lineStart: end + startInTail, terminated };
    }
    const start = Math.max(0, end - CHUNK);
    const chunk = Buffer.alloc(end - start);
    await handle.read(chunk, 0, chunk.length, start);
    tail = Buffer.concat([chunk, tail]);
    end = start;
  }
}
