import { ristretto255 } from '@noble/curves/ed25519.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { blind } from './blind.js';
import { BLIND_KEY_PREFIX, newBlindKey, readBlindKey } from './blind-key.js';
import type { BlindKey } from './blind-key.js';
import { fromHex, toHex } from './encoding.js';
import { hashToGroup } from './hash-to-group.js';
import { blindReady } from './sodium.js';

beforeAll(blindReady);

const keyOf = (hex: string): BlindKey => readBlindKey(new TextEncoder().encode(`${BLIND_KEY_PREFIX}${hex}`));

// RFC 9497 Appendix A.1.1 (OPRF(ristretto255, SHA-512), base mode): BlindedElement =
// Blind · HashToGroup(Input) and EvaluationElement = skSm · BlindedElement, two blindings
// in a row with published scalars, HashToGroup being hash_to_ristretto255 under this DST.
const OPRF_DST = 'HashToGroup-OPRFV1-\u0000-ristretto255-SHA512';
const OPRF_SK = '5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e';
const OPRF_BLIND = '64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706';
const OPRF_VECTORS = [
  { input: '00', blinded: '609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c', evaluated: '7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e' },
  {
    input: '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
    blinded: 'da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418',
    evaluated: 'b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25',
  },
];

describe('blind', () => {
  it.each(OPRF_VECTORS)('reproduces RFC 9497 A.1.1 for input $input (hash, blind, blind again)', (vector) => {
    const element = hashToGroup(new Uint8Array(Buffer.from(vector.input, 'hex')), { dst: OPRF_DST });
    const once = blind(element, keyOf(OPRF_BLIND));
    expect(toHex(once)).toBe(vector.blinded);
    expect(toHex(blind(once, keyOf(OPRF_SK)))).toBe(vector.evaluated);
  });

  it('commutes: a·(b·P) = b·(a·P) for random keys and identifiers', () => {
    for (let i = 0; i < 20; i++) {
      const [a, b] = [newBlindKey(), newBlindKey()];
      const point = hashToGroup(`person${i}@example.com`);
      expect(toHex(blind(blind(point, b), a))).toBe(toHex(blind(blind(point, a), b)));
    }
  });

  it('equals @noble/curves\' scalar multiplication (a second, independent implementation)', () => {
    const key = newBlindKey();
    const scalar = ristretto255.Point.Fn.fromBytes(key);
    const point = hashToGroup('jane@example.com');
    expect(toHex(blind(point, key))).toBe(toHex(ristretto255.Point.fromBytes(point).multiply(scalar).toBytes()));
  });

  it('gives different values under different keys, so a second blinding with another key is not a match', () => {
    const point = hashToGroup('jane@example.com');
    const [a, b, other] = [newBlindKey(), newBlindKey(), newBlindKey()];
    expect(toHex(blind(blind(point, a), other))).not.toBe(toHex(blind(blind(point, b), a)));
  });

  it('refuses the identity, a non-canonical encoding and a wrong length, naming where', () => {
    const key = newBlindKey();
    expect(() => blind(new Uint8Array(32), key, 'batch 2, item 7')).toThrow('Cannot blind batch 2, item 7: it is refused as identity');
    const negative = fromHex('0100000000000000000000000000000000000000000000000000000000000000')!;
    expect(() => blind(negative, key)).toThrow(/not canonical/);
    expect(() => blind(new Uint8Array(31).fill(1), key)).toThrow(/wrong length/);
  });
});
