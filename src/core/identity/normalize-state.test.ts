import { describe, expect, it } from 'vitest';
import { normalizeState } from './normalize-state.js';

describe('normalizeState', () => {
  it.each([
    ['CA', 'CA'],
    [' ca ', 'CA'],
    ['California', 'CA'],
    ['CALIFORNIA', 'CA'],
    ['new york', 'NY'],
    ['District of Columbia', 'DC'],
    ['Washington, D.C.', 'DC'],
    ['D.C.', 'DC'],
    ['Puerto Rico', 'PR'],
    ['U.S. Virgin Islands', 'VI'],
    ['Guam', 'GU'],
    ['Northern Mariana Islands', 'MP'],
    ['American Samoa', 'AS'],
    ['Ontario', 'ON'],
    ['Québec', 'QC'],
    ['Quebec', 'QC'],
    ['PQ', 'QC'],
    ['British Columbia', 'BC'],
    ['Newfoundland and Labrador', 'NL'],
    ['Yukon', 'YT'],
    ['Northwest Territories', 'NT'],
    ['Nunavut', 'NU'],
    ['Prince Edward Island', 'PE'],
  ])('maps %j to %s', (raw, code) => {
    expect(normalizeState(raw)).toEqual({ ok: true, value: code });
  });

  it('ignores NBSP and zero-width characters', () => {
    expect(normalizeState('\u00a0Tex\u200bas ')).toEqual({ ok: true, value: 'TX' });
  });

  it('rejects an unknown state for US and Canadian data', () => {
    const reason = 'not a US state or Canadian province: unknown name or code';
    expect(normalizeState('Califrnia')).toEqual({ ok: false, reason });
    expect(normalizeState('ZZ', { defaultCountry: 'CA' })).toEqual({ ok: false, reason });
  });

  it('keeps the lower-case letters of a region of another country', () => {
    expect(normalizeState('Île-de-France', { defaultCountry: 'FR' })).toEqual({ ok: true, value: 'iledefrance' });
  });

  it('rejects empty values', () => {
    expect(normalizeState(' ')).toEqual({ ok: false, reason: 'empty value' });
    expect(normalizeState('--', { defaultCountry: 'DE' })).toEqual({ ok: false, reason: 'not a state or region: no letters' });
  });
});
