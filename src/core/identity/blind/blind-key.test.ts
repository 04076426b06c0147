import { beforeAll, describe, expect, it } from 'vitest';
import { BLIND_KEY_PREFIX, formatBlindKey, newBlindKey, readBlindKey } from './blind-key.js';
import { blindReady } from './sodium.js';

beforeAll(blindReady);

const bytes = (text: string) => new TextEncoder().encode(text);

describe('blind keys', () => {
  it('round-trips a new key through its file text, whitespace ignored', () => {
    const key = newBlindKey();
    const text = formatBlindKey(key);
    expect(text).toMatch(/^cleanroom-blind-key-v1:[0-9a-f]{64}$/);
    expect(readBlindKey(bytes(`\n ${text}\n`))).toEqual(key);
  });

  it('draws a different key each time', () => {
    expect(formatBlindKey(newBlindKey())).not.toBe(formatBlindKey(newBlindKey()));
  });

  it('refuses an HMAC key file, and says which command writes a blind key', () => {
    expect(() => readBlindKey(bytes('ab'.repeat(32)))).toThrow(/does not start with cleanroom-blind-key-v1:.*keygen --blind/);
  });

  it('refuses zero, the group order and above, and malformed hex', () => {
    expect(() => readBlindKey(bytes(`${BLIND_KEY_PREFIX}${'00'.repeat(32)}`))).toThrow('Cannot use key file as blind key: it is zero');
    // ℓ itself, little-endian
    const order = 'edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010';
    expect(() => readBlindKey(bytes(`${BLIND_KEY_PREFIX}${order}`))).toThrow(/not a canonical scalar/);
    expect(() => readBlindKey(bytes(`${BLIND_KEY_PREFIX}${'ff'.repeat(32)}`))).toThrow(/not a canonical scalar/);
    expect(() => readBlindKey(bytes(`${BLIND_KEY_PREFIX}${'AB'.repeat(32)}`))).toThrow(/64 lower-case hex/);
  });

  it('accepts ℓ − 1, the largest scalar', () => {
    const orderMinusOne = 'ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010';
    expect(() => readBlindKey(bytes(`${BLIND_KEY_PREFIX}${orderMinusOne}`))).not.toThrow();
  });
});
