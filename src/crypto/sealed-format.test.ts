import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sealBytes, sealStream, unsealBytes, unsealStream } from './sealed-format.js';

const key = randomBytes(32);
const CHUNK = 64;

async function through(stream: NodeJS.ReadWriteStream, data: Buffer, pieces: number[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  let at = 0;
  for (const n of pieces) {
    parts.push(data.subarray(at, at + n));
    at += n;
  }
  if (at < data.length) parts.push(data.subarray(at));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(parts).pipe(stream)) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

describe('sealed format', () => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5]) {
    it(`opens what it sealed, ${size} bytes, whole and streamed in odd pieces, either way round`, async () => {
      const plain = randomBytes(size);
      const whole = sealBytes(key, 'room:c_1', plain, CHUNK);
      expect(unsealBytes(key, 'room:c_1', whole, 'x')).toEqual(plain);
      const streamed = await through(sealStream(key, 'room:c_1', CHUNK), plain, [7, 50, 1, 100, 3]);
      expect(streamed.length).toBe(whole.length);
      expect(unsealBytes(key, 'room:c_1', streamed, 'x')).toEqual(plain);
      expect(await through(unsealStream(key, 'room:c_1', 'x'), whole, [5, 43, 80, 1])).toEqual(plain);
    });
  }

  it('never writes the plaintext: a sealed repeated text holds none of it', () => {
    const plain = Buffer.from('zebra-segment-7,987654.32\n'.repeat(100));
    const sealed = sealBytes(key, 'run:c_1/r_1', plain, CHUNK);
    expect(sealed.includes(Buffer.from('zebra'))).toBe(false);
    expect(sealBytes(key, 'run:c_1/r_1', plain, CHUNK).equals(sealed)).toBe(false);
  });

  it('refuses every flipped byte, every cut, a swapped chunk, an appended byte, another label and another key', () => {
    const plain = randomBytes(3 * CHUNK + 9);
    const sealed = sealBytes(key, 'room:c_1', plain, CHUNK);
    for (let i = 0; i < sealed.length; i++) {
      const bad = Buffer.from(sealed);
      bad[i]! ^= 0x01;
      expect(() => unsealBytes(key, 'room:c_1', bad, 'f')).toThrow(/Cannot read f/);
    }
    for (let n = 0; n < sealed.length; n++) expect(() => unsealBytes(key, 'room:c_1', sealed.subarray(0, n), 'f')).toThrow(/Cannot read f: /);
    const unit = CHUNK + 16;
    const swapped = Buffer.concat([sealed.subarray(0, 48), sealed.subarray(48 + unit, 48 + 2 * unit), sealed.subarray(48, 48 + unit), sealed.subarray(48 + 2 * unit)]);
    expect(() => unsealBytes(key, 'room:c_1', swapped, 'f')).toThrow(/chunk 0 .* does not authenticate/);
    expect(() => unsealBytes(key, 'room:c_1', Buffer.concat([sealed, Buffer.from([0])]), 'f')).toThrow(/does not authenticate/);
    expect(() => unsealBytes(key, 'room:c_2', sealed, 'f')).toThrow(/sealed with another key or for another use/);
    expect(() => unsealBytes(randomBytes(32), 'room:c_1', sealed, 'f')).toThrow(/does not authenticate/);
  });

  it('a stream cut at a chunk boundary fails at its end, naming the source', async () => {
    const plain = randomBytes(3 * CHUNK);
    const sealed = sealBytes(key, 'room:c_1', plain, CHUNK);
    const cut = sealed.subarray(0, 48 + 2 * (CHUNK + 16));
    await expect(through(unsealStream(key, 'room:c_1', '/data/room.sealed'), cut, [])).rejects.toThrow(/Cannot read \/data\/room.sealed: chunk 1 .*truncated/);
    await expect(through(unsealStream(key, 'room:c_1', '/data/room.sealed'), Buffer.from('plain text, not sealed, long enough for a header......'), [])).rejects.toThrow(/not a sealed cleanroom file/);
  });
});
