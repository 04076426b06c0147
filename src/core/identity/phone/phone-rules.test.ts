import metadata from 'libphonenumber-js/min/metadata';
import { describe, expect, it } from 'vitest';
import { createPhoneRules } from './phone-rules.js';

describe('createPhoneRules', () => {
  const rules = createPhoneRules(metadata);

  it('compiles a country’s patterns, lengths and prefixes from the metadata', () => {
    const gb = rules.country('GB');
    expect(gb?.callingCode).toBe('44');
    expect(gb?.nationalNumber.test('2079460018')).toBe(true);
    expect(gb?.nationalNumber.test('020794600')).toBe(false);
    expect(gb?.possibleLengths).toEqual([7, 9, 10]);
    expect(gb?.iddPrefix?.exec('0044')?.[0]).toBe('00');
    expect(gb?.nationalPrefixForParsing?.exec('02079460018')?.[0]).toBe('0');
  });

  it('keeps the library’s order of the countries sharing a calling code, the main one first', () => {
    const nanp = rules.callingCode('1');
    expect(nanp?.main.country).toBe('US');
    expect(nanp?.countries?.slice(0, 3).map((plan) => plan.country)).toEqual(['US', 'AG', 'AI']);
    expect(rules.country('CA')?.group).toBe(nanp);
  });

  it('keeps per-type patterns only where the metadata has them', () => {
    expect(rules.country('US')?.types?.length).toBeGreaterThan(0);
    expect(rules.country('DE')?.types).toBeUndefined();
  });

  it('knows non-geographic calling codes, which belong to no country', () => {
    const freephone = rules.callingCode('800');
    expect(freephone?.countries).toBeUndefined();
    expect(freephone?.main.country).toBeUndefined();
  });

  it.each(['XX', 'us', '', 'constructor', '001'])('knows no country %j', (country) => {
    expect(rules.country(country)).toBeUndefined();
  });

  it.each(['0', '999', '', '12'])('knows no calling code %j', (code) => {
    expect(rules.callingCode(code)).toBeUndefined();
  });

  it('compiles each plan once', () => {
    expect(rules.country('FR')).toBe(rules.country('FR'));
  });
});
