import { describe, expect, it } from 'vitest';
import { fingerprintFields } from './fingerprint.js';
import { FingerprintSet } from './fingerprint-set.js';

describe('FingerprintSet', () => {
  it('tells new fingerprints from repeated ones, across growth', () => {
    const set = new FingerprintSet(16);
    let added = 0;
    for (let i = 0; i < 100_000; i++) if (set.add(i, i * 7)) added++;
    expect(added).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) expect(set.add(i, i * 7)).toBe(false);
    expect(set.size).toBe(100_000);
    expect(set.bytes).toBeLessThanOrEqual(100_000 * 8 * 2 * 2);
  });

  it('stores the all-zero fingerprint', () => {
    const set = new FingerprintSet();
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
  });
});

describe('fingerprintFields', () => {
  it('is stable and tells close strings apart', () => {
    const out = new Uint32Array(6);
    fingerprintFields(['a', 'b', 'c'], out, 0);
    fingerprintFields(['a', 'b', 'c'], out, 2);
    fingerprintFields(['a', 'b', 'd'], out, 4);
    expect([out[0], out[1]]).toEqual([out[2], out[3]]);
    expect([out[0], out[1]]).not.toEqual([out[4], out[5]]);
  });

  it('tells fields apart from their concatenation', () => {
    const out = new Uint32Array(4);
    fingerprintFields(['ab', 'c'], out, 0);
    fingerprintFields(['a', 'bc'], out, 2);
    expect([out[0], out[1]]).not.toEqual([out[2], out[3]]);
  });

  it('has no collisions over a million similar records', () => {
    const set = new FingerprintSet();
    const out = new Uint32Array(2);
    let collisions = 0;
    for (let i = 0; i < 1_000_000; i++) {
      fingerprintFields([String(i), `user${i}@example.com`, `+1650555${i % 10000}`], out, 0);
      if (!set.add(out[0]!, out[1]!)) collisions++;
    }
    expect(collisions).toBe(0);
  });
});
