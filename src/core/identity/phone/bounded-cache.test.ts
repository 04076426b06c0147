import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { createBoundedCache } from './bounded-cache.js';

describe('createBoundedCache', () => {
  it('returns what was stored and undefined for what was not', () => {
    const cache = createBoundedCache<number>(8);
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('never holds more than its capacity', () => {
    const cache = createBoundedCache<number>(10);
    for (let i = 0; i < 1000; i++) cache.set(String(i), i);
    expect(cache.size).toBeLessThanOrEqual(10);
    expect(cache.get('999')).toBe(999);
    expect(cache.get('0')).toBeUndefined();
  });

  it('keeps an entry that is read while newer ones arrive', () => {
    const cache = createBoundedCache<number>(4);
    cache.set('kept', 0);
    for (let i = 0; i < 100; i++) {
      cache.set(String(i), i);
      expect(cache.get('kept')).toBe(0);
    }
  });

  it.each([0, 1, 2.5, Number.NaN])('refuses the capacity %s', (capacity) => {
    expect(() => createBoundedCache(capacity)).toThrow(CleanRoomError);
  });
});
