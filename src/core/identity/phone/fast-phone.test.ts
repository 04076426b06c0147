import metadata from 'libphonenumber-js/min/metadata';
import { describe, expect, it } from 'vitest';
import { normalizePhoneWithLibrary } from '../normalize-phone.js';
import { createPhoneNormalizer } from '../normalize-phone.js';
import { differentialSamples } from './differential-samples.js';
import { normalizePhoneFast } from './fast-phone.js';
import { createPhoneRules } from './phone-rules.js';
import type { PlanRules } from './phone-rules.js';

const rules = createPhoneRules(metadata);
const plan = (country: string): PlanRules => {
  const found = rules.country(country);
  if (found === undefined) throw new Error(`Cannot find the test country ${country}`);
  return found;
};
const fast = (raw: string, country = 'US') => normalizePhoneFast(raw, plan(country), rules);
const library = (raw: string, defaultCountry = 'US') => normalizePhoneWithLibrary(raw, { defaultCountry });

describe('normalizePhoneFast', () => {
  it.each([
    ['(650) 555-1212', 'US'],
    ['+1 650 555 1212', 'GB'],
    ['1-650-555-1212', 'CA'],
    ['011 44 20 7946 0018', 'US'],
    ['0049 30 123456', 'GB'],
    ['+33 (0)1 23 45 67 89', 'FR'],
    ['020 7946 0018', 'GB'],
    ['(11) 91234-5678', 'BR'],
    ['7 464 1234', 'AG'],
    ['650 555 1212 x123', 'US'],
    ['650 555 1212 ext. 5', 'US'],
    ['650 555 1212 EXT 12', 'US'],
  ])('answers %j (default %s) itself, as the library would', (raw, country) => {
    const answer = fast(raw, country);
    expect(answer).toBeDefined();
    expect(answer).toEqual(library(raw, country));
  });

  it.each([
    ['(555) 555-1212', 'a number not valid in the assumed country'],
    ['123-4567', 'a length the country does not use'],
    ['+999 123 4567', 'an unknown calling code'],
    ['+44 1', 'too few digits after the calling code'],
    ['12', 'two bare digits'],
    ['   ', 'blanks'],
  ])('rejects %j (%s) with the library’s reason', (raw) => {
    expect(fast(raw)).toEqual(library(raw));
  });

  it.each([
    ['1-800-FLOWERS', 'letters'],
    ['６５０５５５１２１２', 'full-width digits'],
    ['650\u00a0555\u00a01212', 'a no-break space'],
    ['\t650 555 1212', 'a tab, which trim() removes'],
    ['650/555/1212', 'slashes'],
    ['650 555 1212 #12', 'an extension the subset does not cover'],
    ['650 555 1212 x1234567890', 'an extension longer than nine digits'],
    ['(1)', 'fewer than three digits with punctuation'],
    ['650+555+1212', 'a plus sign after the start'],
    ['6'.repeat(251), 'more than 250 characters'],
  ])('leaves %j (%s) to the library', (raw) => {
    expect(fast(raw)).toBeUndefined();
  });
});

describe('the differential samples', () => {
  it('make the fast path answer most cells and the library the rest', () => {
    const phones = createPhoneNormalizer({ cacheSize: 0 });
    let valid = 0;
    for (const sample of differentialSamples()) if (phones.normalize(sample.raw, sample).ok) valid++;
    const { calls, fastPath, library: fallbacks } = phones.stats();
    expect(calls).toBeGreaterThanOrEqual(200_000);
    expect(fastPath / calls).toBeGreaterThan(0.75);
    expect(fallbacks / calls).toBeGreaterThan(0.1);
    expect(valid / calls).toBeGreaterThan(0.25);
    expect(valid / calls).toBeLessThan(0.75);
  }, 120_000);
});
