import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { generateHashKey, readHashKey } from './hash-key.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const HEX_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

function keyErrorOf(text: string): CleanRoomError {
  try {
    readHashKey(encode(text));
  } catch (error) {
    if (error instanceof CleanRoomError) return error;
    throw error;
  }
  throw new Error('readHashKey accepted the key');
}

describe('readHashKey', () => {
  it('reads one line of hex, whitespace and a final newline ignored', () => {
    expect(Buffer.from(readHashKey(encode(`  ${HEX_KEY.toUpperCase()}\n`))).toString('hex')).toBe(HEX_KEY);
  });

  it('reads Base64 and Base64url text', () => {
    const bytes = Buffer.from(HEX_KEY, 'hex');
    expect(Buffer.from(readHashKey(encode(bytes.toString('base64')))).toString('hex')).toBe(HEX_KEY);
    const urlSafe = Buffer.alloc(33, 0xfb).toString('base64url');
    expect(readHashKey(encode(urlSafe)).length).toBe(33);
  });

  it('accepts keys longer than 32 bytes', () => {
    expect(readHashKey(encode('ab'.repeat(64))).length).toBe(64);
  });

  it.each([
    ['', 'Cannot use key file as HMAC key: it is empty'],
    [' \n ', 'Cannot use key file as HMAC key: it is empty'],
    ['abcd', 'Cannot use key file as HMAC key: it decodes to 2 bytes, at least 32 are needed'],
    [`${HEX_KEY}\n${HEX_KEY}`, 'Cannot use key file as HMAC key: it must hold one line of hex or Base64 text'],
    ['not a key!', 'Cannot use key file as HMAC key: it is neither hex nor Base64 text'],
  ])('rejects %j with invalid_input', (text, message) => {
    const error = keyErrorOf(text);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe(message);
  });
});

describe('generateHashKey', () => {
  it('makes 32 random bytes as hex that readHashKey reads back', () => {
    const key = generateHashKey();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(readHashKey(encode(key)).length).toBe(32);
    expect(generateHashKey()).not.toBe(key);
  });
});
