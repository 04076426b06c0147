import { describe, expect, it } from 'vitest';
import { decodeUtf8Chunk } from './decode-utf8-chunk.js';

describe('decodeUtf8Chunk', () => {
  it('decodes valid UTF-8 with no bad lines', () => {
    expect(decodeUtf8Chunk(new TextEncoder().encode('José\nZoë\n'), 1)).toEqual({ text: 'José\nZoë\n' });
  });

  it('lists each line holding invalid bytes with the byte position', () => {
    const bytes = new Uint8Array([0x61, 0x0a, 0x62, 0x63, 0xff, 0x0a, 0x4a, 0x6f, 0x73, 0xe9, 0x0a]); // "Jos\xe9" is Latin-1
    const { text, badLines } = decodeUtf8Chunk(bytes, 10);
    expect(badLines).toEqual([
      { line: 11, byte: 3 },
      { line: 12, byte: 4 },
    ]);
    expect(text.split('\n')[1]).toBe('bc\uFFFD');
  });
});
