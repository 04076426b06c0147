import { describe, expect, it } from 'vitest';
import { DIFFERENTIAL_COUNTRIES } from './phone-edge-samples.js';
import { createRandom } from './phone-random.js';
import { fillDigits } from './phone-sample-pools.js';
import { generatePhoneSamples } from './phone-samples.js';

describe('generatePhoneSamples', () => {
  it('returns the same samples for the same seed', () => {
    expect(generatePhoneSamples(500, { seed: 9, mix: 'adversarial' })).toEqual(
      generatePhoneSamples(500, { seed: 9, mix: 'adversarial' }),
    );
    expect(generatePhoneSamples(50, { seed: 9 })).not.toEqual(generatePhoneSamples(50, { seed: 10 }));
  });

  it('writes the realistic mix mostly as US numbers in the usual formats', () => {
    const samples = generatePhoneSamples(5000, { seed: 1, mix: 'realistic' });
    const us = samples.filter((sample) => sample.defaultCountry === 'US').length;
    expect(us / samples.length).toBeGreaterThan(0.6);
    expect(samples.some((sample) => /^\(\d{3}\) \d{3}-\d{4}$/.test(sample.raw))).toBe(true);
    expect(samples.some((sample) => sample.raw.startsWith('+44 '))).toBe(true);
  });

  it('covers the edges in the adversarial mix', () => {
    const raws = generatePhoneSamples(20_000, { seed: 1, mix: 'adversarial' }).map((sample) => sample.raw);
    const has = (pattern: RegExp) => raws.some((raw) => pattern.test(raw));
    expect(has(/^011 1 /)).toBe(true);
    expect(has(/^00\d/)).toBe(true);
    expect(has(/ext\. 5$/)).toBe(true);
    expect(has(/^\(555\)/)).toBe(true);
    expect(has(/^\+1 \(?[01]\d\d/)).toBe(true);
    expect(has(/\p{L}/u)).toBe(true);
    expect(raws).toContain('');
  });

  it('reads every sample with the differential countries and a few others', () => {
    const countries = new Set(generatePhoneSamples(5000, { seed: 2, mix: 'adversarial' }).map((s) => s.defaultCountry));
    for (const country of DIFFERENTIAL_COUNTRIES) expect(countries).toContain(country);
    expect(countries.size).toBeGreaterThan(100);
  });
});

describe('fillDigits', () => {
  it('writes a national number into a formatted example, keeping its prefix digits', () => {
    expect(fillDigits('+44 7400 123456', '7911654321')).toBe('+44 7911 654321');
    expect(fillDigits('07400 123456', '7911654321')).toBe('07911 654321');
  });
});

describe('createRandom', () => {
  it('repeats its sequence for a seed', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    expect([a.next(), a.int(10), a.digits(4)]).toEqual([b.next(), b.int(10), b.digits(4)]);
  });
});
