import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { createHasher, hashIdentifier } from './hash-identifier.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i); // 000102…1f
const LONG_KEY = new Uint8Array(100).fill(0xaa); // longer than a SHA-256 block: hashed first
const ABC_HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

function referenceHmac(key: Uint8Array, normalized: string, encoding: 'hex' | 'base64'): string {
  const digest = createHash('sha256').update(normalized, 'utf8').digest();
  return createHmac('sha256', key).update(digest).digest(encoding);
}

describe('createHasher sha256', () => {
  it('writes SHA-256 of the UTF-8 bytes as lower-case hex', () => {
    expect(createHasher({ scheme: 'sha256', encoding: 'hex' }).hash('abc')).toBe(ABC_HEX);
  });

  it('writes SHA-256 as Base64 of the 32 bytes, not of the hex text', () => {
    // Derived: printf 'user@example.com' | sha256sum | xxd -r -p | base64 (also UID2's published example).
    expect(createHasher({ scheme: 'sha256', encoding: 'base64' }).hash('user@example.com')).toBe(
      'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=',
    );
  });

  it('hashes non-ASCII text as UTF-8', () => {
    const expected = createHash('sha256').update(Buffer.from('valéry', 'utf8')).digest('hex');
    expect(createHasher({ scheme: 'sha256', encoding: 'hex' }).hash('valéry')).toBe(expected);
  });

  it('has a one-shot form', () => {
    expect(hashIdentifier('abc')).toBe(ABC_HEX);
    expect(hashIdentifier('abc', { encoding: 'base64' })).toBe(Buffer.from(ABC_HEX, 'hex').toString('base64'));
  });
});

describe('createHasher hmac', () => {
  it('is HMAC-SHA256 under the key of the SHA-256 bytes (derived with openssl)', () => {
    // printf abc | openssl dgst -sha256 -binary | openssl dgst -sha256 -mac HMAC -macopt hexkey:0001…1f
    const hasher = createHasher({ scheme: 'hmac', encoding: 'hex', key: KEY });
    expect(hasher.hash('abc')).toBe('910ec338f64892dfc0288e343162e996b71c39c67dd1cad13923f2d67a79cff6');
    expect(createHasher({ scheme: 'hmac', encoding: 'base64', key: KEY }).hash('abc')).toBe(
      'kQ7DOPZIkt/AKI40MWLplrccOcZ90crROSPy1np5z/Y=',
    );
  });

  it('hashes a key longer than one block first, as HMAC does (derived with openssl)', () => {
    expect(createHasher({ scheme: 'hmac', encoding: 'hex', key: LONG_KEY }).hash('abc')).toBe(
      '459f105da7327c0eec5ab255cf1f56d362daf352a7be6ab7041e4e8acad87917',
    );
  });

  it('agrees with createHmac for many values, encodings and keys, called in turn', () => {
    const values = ['', 'a', 'john@example.com', 'valéry', '정', '+16505551212', 'x'.repeat(1000)];
    for (const key of [KEY, LONG_KEY, new Uint8Array(64).fill(7)]) {
      for (const encoding of ['hex', 'base64'] as const) {
        const hasher = createHasher({ scheme: 'hmac', encoding, key });
        for (const value of [...values, ...values]) expect(hasher.hash(value)).toBe(referenceHmac(key, value, encoding));
      }
    }
  });

  it('needs a key', () => {
    expect(() => createHasher({ scheme: 'hmac', encoding: 'hex' })).toThrow(CleanRoomError);
  });
});

describe('asExistingHash', () => {
  const hex = createHasher({ scheme: 'sha256', encoding: 'hex' });
  const b64 = createHasher({ scheme: 'sha256', encoding: 'base64' });
  const abcBase64 = Buffer.from(ABC_HEX, 'hex').toString('base64');

  it('lower-cases and trims a hex digest', () => {
    expect(hex.asExistingHash(` ${ABC_HEX.toUpperCase()} `)).toBe(ABC_HEX);
  });

  it('returns a Base64 digest as it is under a Base64 encoding', () => {
    expect(b64.asExistingHash(abcBase64)).toBe(abcBase64);
  });

  it('converts a hex digest to Base64 under a Base64 encoding', () => {
    expect(b64.asExistingHash(ABC_HEX.toUpperCase())).toBe(abcBase64);
  });

  it('does not take Base64 for a digest under a hex encoding', () => {
    expect(hex.asExistingHash(abcBase64)).toBeUndefined();
  });

  it('re-keys an existing digest under hmac, giving the hash of the raw value', () => {
    for (const encoding of ['hex', 'base64'] as const) {
      const keyed = createHasher({ scheme: 'hmac', encoding, key: KEY });
      expect(keyed.asExistingHash(ABC_HEX)).toBe(keyed.hash('abc'));
      expect(keyed.asExistingHash(ABC_HEX.toUpperCase())).toBe(keyed.hash('abc'));
    }
    const keyed64 = createHasher({ scheme: 'hmac', encoding: 'base64', key: KEY });
    expect(keyed64.asExistingHash(abcBase64)).toBe(keyed64.hash('abc'));
  });

  it.each([
    ['an email', 'john@example.com'],
    ['63 hex digits', ABC_HEX.slice(1)],
    ['65 hex digits', `${ABC_HEX}0`],
    ['64 characters with a non-hex one', `${ABC_HEX.slice(1)}g`],
    ['Base64 of 33 bytes', Buffer.alloc(33, 1).toString('base64')],
    ['non-canonical Base64 (low bits set)', `${abcBase64.slice(0, 42)}1=`],
    ['an empty string', ''],
  ])('returns undefined for %s', (_, value) => {
    expect(hex.asExistingHash(value)).toBeUndefined();
    expect(b64.asExistingHash(value)).toBeUndefined();
  });
});
