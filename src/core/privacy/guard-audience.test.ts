import { describe, expect, it } from 'vitest';
import { guardAudience } from './guard-audience.js';

describe('guardAudience', () => {
  it('releases an audience of at least the minimum, its size rounded like a count', () => {
    expect(guardAudience(1234, { minPeople: 100, rounding: { to: 100 } })).toEqual({ released: true, people: 1200 });
    expect(guardAudience(100, { minPeople: 100, rounding: null })).toEqual({ released: true, people: 100 });
  });
  it('holds back an audience one person short of the minimum, saying why without its size', () => {
    const held = guardAudience(99, { minPeople: 100, rounding: null });
    expect(held).toEqual({ released: false, reason: 'the audience covers fewer than 100 people' });
    expect(JSON.stringify(held)).not.toContain('99');
  });
});
