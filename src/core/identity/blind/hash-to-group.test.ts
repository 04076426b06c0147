import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from './encoding.js';
import { BLIND_DST, elementFromUniformBytes, hashToGroup } from './hash-to-group.js';
import { blindReady } from './sodium.js';

beforeAll(blindReady);

// RFC 9496 Appendix A.3: SHA-512 of each label, mapped by the one-way map.
const RFC9496_LABELS: readonly [string, string][] = [
  ['Ristretto is traditionally a short shot of espresso coffee', '3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46'],
  ['made with the normal amount of ground coffee but extracted with', 'f26e5b6f7d362d2d2a94c5d0e7602cb4773c95a2e5c31a64f133189fa76ed61b'],
  ['about half the amount of water in the same amount of time', '006ccd2a9e6867e6a2c5cea83d3302cc9de128dd2a9a57dd8ee7b9d7ffe02826'],
  ['by using a finer grind.', 'f8f0c87cf237953c5890aec3998169005dae3eca1fbb04548c635953c817f92a'],
  ['This produces a concentrated shot of coffee per volume.', 'ae81e7dedf20a497e10c304a765c1767a42d6e06029758d2d7e8ef7cc4c41179'],
  ['Just pulling a normal shot short will produce a weaker shot', 'e2705652ff9f5e44d3e841bf1c251cf7dddb77d140870d1ab2ed64f1a9ce8628'],
  ['and is not a Ristretto as some believe.', '80bd07262511cdde4863f8a7434cef696750681cb9510eea557088f76d9e5065'],
];

// RFC 9496 Appendix A.3, the inputs that map to one element (non-canonical halves).
const RFC9496_EDGE_INPUTS = [
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1200000000000000000000000000000000000000000000000000000000000000',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  '0000000000000000000000000000000000000000000000000000000000000080ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '00000000000000000000000000000000000000000000000000000000000000001200000000000000000000000000000000000000000000000000000000000080',
];
const RFC9496_EDGE_OUTPUT = '304282791023b73128d277bdcb5c7746ef2eac08dde9f2983379cb8e5ef0517f';

describe('elementFromUniformBytes', () => {
  it.each(RFC9496_LABELS)('reproduces the RFC 9496 vector for %j', (label, expected) => {
    expect(toHex(elementFromUniformBytes(sha512(new TextEncoder().encode(label))))).toBe(expected);
  });

  it('reproduces the RFC 9496 vectors whose inputs hold non-canonical field elements', () => {
    for (const input of RFC9496_EDGE_INPUTS) {
      expect(toHex(elementFromUniformBytes(new Uint8Array(Buffer.from(input, 'hex'))))).toBe(RFC9496_EDGE_OUTPUT);
    }
  });

  it('refuses anything but 64 bytes', () => {
    expect(() => elementFromUniformBytes(new Uint8Array(32))).toThrow(/Cannot map 32 bytes to ristretto255/);
  });
});

describe('hashToGroup', () => {
  it('is RFC 9380 hash_to_ristretto255: equal to @noble/curves on the suite DST', () => {
    const message = new Uint8Array(10).fill(5);
    // The vector of @noble/curves' own test suite for this input and DST.
    expect(toHex(hashToGroup(message, { dst: 'ristretto255_XMD:SHA-512_R255MAP_RO_' }))).toBe(
      'be2194e53cc014665821003f8ecf49e99b7cd16f5326e53f234ecd21c448ee6c',
    );
  });

  it('agrees with @noble/curves under cleanroom\'s DST on many inputs', () => {
    for (let i = 0; i < 50; i++) {
      const value = `person${i}@example.com`;
      const noble = ristretto255_hasher.hashToCurve(new TextEncoder().encode(value), { DST: BLIND_DST }).toBytes();
      expect(toHex(hashToGroup(value))).toBe(toHex(noble));
    }
  });

  it('hashes the UTF-8 bytes of the value: a string and its bytes give one element', () => {
    expect(toHex(hashToGroup('zoë@example.com'))).toBe(toHex(hashToGroup(new TextEncoder().encode('zoë@example.com'))));
  });

  it('separates domains: another DST gives another element', () => {
    expect(toHex(hashToGroup('jane@example.com'))).not.toBe(toHex(hashToGroup('jane@example.com', { dst: 'other-app-v1' })));
  });

  it('keeps its fixed DST (changing it would unlink every stored identifier)', () => {
    expect(BLIND_DST).toBe('cleanroom-v1-double-blind-ristretto255_XMD:SHA-512_R255MAP_RO_');
    expect(toHex(hashToGroup('jane@example.com'))).toMatchInlineSnapshot(`"d6e9cf20f369ce71a43aa1942a0baae4f97bfdeb45e6437c0d13589b48507644"`);
  });
});
