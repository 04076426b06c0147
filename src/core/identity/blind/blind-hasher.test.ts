import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { blind } from './blind.js';
import { newBlindKey } from './blind-key.js';
import { createBlindHasher } from './blind-hasher.js';
import { toHex } from './encoding.js';
import { hashToGroup } from './hash-to-group.js';
import { blindReady } from './sodium.js';

const sha256 = (text: string): Uint8Array => createHash('sha256').update(text).digest();

beforeAll(blindReady);

const digest = (value: string) => createHash('sha256').update(value).digest();

describe('createBlindHasher', () => {
  it('blinds the element of the SHA-256 digest of the normalised value, as hex', () => {
    const key = newBlindKey();
    const value = createBlindHasher(key, { sha256 }).hash('jane@example.com');
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(value).toBe(toHex(blind(hashToGroup(digest('jane@example.com')), key)));
  });

  it('gives a party holding only SHA-256 digests (hex, any case, or Base64) the same value', () => {
    const key = newBlindKey();
    const raw = createBlindHasher(key, { sha256 }).hash('jane@example.com');
    expect(createBlindHasher(key, { sha256 }).asExistingHash(digest('jane@example.com').toString('hex').toUpperCase())).toBe(raw);
    expect(createBlindHasher(key, { encoding: 'base64', sha256 }).asExistingHash(digest('jane@example.com').toString('base64'))).toBe(raw);
    expect(createBlindHasher(key, { sha256 }).asExistingHash('jane@example.com')).toBeUndefined();
  });

  it('is neither the SHA-256 digest nor the same under another key', () => {
    const value = createBlindHasher(newBlindKey(), { sha256 }).hash('jane@example.com');
    expect(value).not.toBe(digest('jane@example.com').toString('hex'));
    expect(value).not.toBe(createBlindHasher(newBlindKey(), { sha256 }).hash('jane@example.com'));
  });
});
