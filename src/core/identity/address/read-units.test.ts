import { describe, expect, it } from 'vitest';
import { readUnits } from './read-units.js';

describe('readUnits', () => {
  it('writes designators as their standard abbreviation, with their number', () => {
    expect(readUnits(['main', 'st', 'apartment', '4b'])).toEqual({ street: ['main', 'st'], units: ['apt', '4b'] });
    expect(readUnits(['main', 'st', '#', '4b'])).toEqual({ street: ['main', 'st'], units: ['apt', '4b'] });
    expect(readUnits(['main', 'st', 'apt', '#', '4b'])).toEqual({ street: ['main', 'st'], units: ['apt', '4b'] });
    expect(readUnits(['main', 'st', 'building', '3', 'suite', '200'])).toEqual({ street: ['main', 'st'], units: ['bldg', '3', 'ste', '200'] });
  });

  it('lets a designator that needs no number stand alone', () => {
    expect(readUnits(['park', 'ave', 'penthouse'])).toEqual({ street: ['park', 'ave'], units: ['ph'] });
    expect(readUnits(['main', 'st', 'rear', 'apt', '2'])).toEqual({ street: ['main', 'st'], units: ['rear', 'apt', '2'] });
  });

  it('reads a designator word without its number as part of the street', () => {
    expect(readUnits(['front', 'st'])).toEqual({ street: ['front', 'st'], units: [] });
    expect(readUnits(['key', 'west', 'ave'])).toEqual({ street: ['key', 'west', 'ave'], units: [] });
  });

  it('reads a bare number after a suffix as #, but not after a numbered road', () => {
    expect(readUnits(['main', 'st', '4b'])).toEqual({ street: ['main', 'st'], units: ['apt', '4b'] });
    expect(readUnits(['county', 'road', '12'])).toEqual({ street: ['county', 'road', '12'], units: [] });
  });
});
