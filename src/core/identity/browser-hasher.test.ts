import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { createBrowserHasher } from './browser-hasher.js';
import { createHasher } from './hash-identifier.js';
import type { HasherOptions } from './hash-identifier.js';
import { createRandom } from './phone/phone-random.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
const LONG_KEY = new Uint8Array(100).fill(0xaa);
const ALPHABET = ['a', 'Z', '0', '@', '.', ' ', '+', '-', 'é', 'ß', '中', '😀', '\u0301', '\t', '"', ',', '\ud800'];

/** Values of every shape the prepare pipeline meets: text, unicode, hashes, near-hashes. */
function sampleValues(count: number): string[] {
  const random = createRandom(20261123);
  const node = createHasher({ scheme: 'sha256', encoding: 'hex' });
  const values: string[] = ['', 'abc', ' ', 'john_smith@gmail.com'];
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = random.int(70);
    for (let j = 0; j < length; j++) text += random.pick(ALPHABET);
    values.push(text);
    const digest = node.hash(text);
    values.push(digest, digest.toUpperCase(), ` ${digest} `, digest.slice(1), `${digest}0`);
    const base64 = Buffer.from(digest, 'hex').toString('base64');
    values.push(base64, ` ${base64}`, `${base64.slice(0, 42)}B=`, base64.replace('=', 'A'));
  }
  return values;
}

const VALUES = sampleValues(400);
const OPTIONS: HasherOptions[] = [
  { scheme: 'sha256', encoding: 'hex' },
  { scheme: 'sha256', encoding: 'base64' },
  { scheme: 'hmac', encoding: 'hex', key: KEY },
  { scheme: 'hmac', encoding: 'base64', key: KEY },
  { scheme: 'hmac', encoding: 'base64', key: LONG_KEY },
];

describe('createBrowserHasher', () => {
  for (const options of OPTIONS) {
    const label = `${options.scheme}/${options.encoding}${options.key === LONG_KEY ? ' (long key)' : ''}`;

    it(`hashes every sample exactly as the Node hasher does (${label})`, () => {
      const node = createHasher(options);
      const browser = createBrowserHasher(options);
      for (const value of VALUES) expect(browser.hash(value), JSON.stringify(value)).toBe(node.hash(value));
    });

    it(`recognises existing hashes exactly as the Node hasher does (${label})`, () => {
      const node = createHasher(options);
      const browser = createBrowserHasher(options);
      for (const value of VALUES) expect(browser.asExistingHash(value), JSON.stringify(value)).toBe(node.asExistingHash(value));
    });
  }

  it('gives the published SHA-256 of an email', () => {
    expect(createBrowserHasher({ scheme: 'sha256', encoding: 'hex' }).hash('john_smith@gmail.com')).toBe('62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
  });

  it('refuses hmac without a key, as the Node hasher does', () => {
    expect(() => createBrowserHasher({ scheme: 'hmac', encoding: 'hex' })).toThrow(CleanRoomError);
  });
});
