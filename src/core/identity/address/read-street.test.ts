import { describe, expect, it } from 'vitest';
import { readStreet } from './read-street.js';

describe('readStreet', () => {
  it('abbreviates pre- and post-directionals and the suffix', () => {
    expect(readStreet(['north', 'main', 'street'])).toEqual(['n', 'main', 'st']);
    expect(readStreet(['main', 'street', 'north', 'west'])).toEqual(['main', 'st', 'nw']);
    expect(readStreet(['s', 'e', 'oak', 'ave'])).toEqual(['se', 'oak', 'ave']);
  });

  it('keeps a directional that is the whole name, and a suffix word inside the name', () => {
    expect(readStreet(['north', 'street'])).toEqual(['north', 'st']);
    expect(readStreet(['e', 'north'])).toEqual(['e', 'north']);
    expect(readStreet(['spring', 'garden', 'street'])).toEqual(['spring', 'garden', 'st']);
  });

  it('writes spelled ordinals as numerals', () => {
    expect(readStreet(['north', 'twenty', 'third', 'street'])).toEqual(['n', '23rd', 'st']);
    expect(readStreet(['first', 'avenue'])).toEqual(['1st', 'ave']);
  });

  it('abbreviates a suffix followed by a route number', () => {
    expect(readStreet(['us', 'highway', '1'])).toEqual(['us', 'hwy', '1']);
    expect(readStreet(['state', 'route', '9'])).toEqual(['state', 'rte', '9']);
  });
});
