import { describe, expect, it } from 'vitest';
import { ISO_COUNTRIES } from './iso-countries.js';
import { normalizeCountry } from './normalize-country.js';

describe('normalizeCountry', () => {
  it.each([
    ['US', 'US'],
    ['us', 'US'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['  united states of america ', 'US'],
    ['GB', 'GB'],
    ['GBR', 'GB'],
    ['UK', 'GB'],
    ['United Kingdom', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['Deutschland', 'DE'],
    ['Germany', 'DE'],
    ['DEU', 'DE'],
    ['The Netherlands', 'NL'],
    ['Holland', 'NL'],
    ["Côte d'Ivoire", 'CI'],
    ['Ivory Coast', 'CI'],
    ['Korea, Republic of', 'KR'],
    ['South Korea', 'KR'],
    ['Russia', 'RU'],
    ['Czechia', 'CZ'],
    ['Czech Republic', 'CZ'],
    ['Türkiye', 'TR'],
    ['Kosovo', 'XK'],
    ['\u00a0France\u200b', 'FR'],
  ])('maps %j to %s', (raw, code) => {
    expect(normalizeCountry(raw)).toEqual({ ok: true, value: code });
  });

  it('knows every ISO 3166-1 country by alpha-2, alpha-3 and each of its names', () => {
    for (const [alpha2, alpha3, names] of ISO_COUNTRIES) {
      expect(normalizeCountry(alpha2)).toEqual({ ok: true, value: alpha2 });
      expect(normalizeCountry(alpha3)).toEqual({ ok: true, value: alpha2 });
      for (const name of names.split('|')) expect(normalizeCountry(name), name).toEqual({ ok: true, value: alpha2 });
    }
  });

  it('rejects unknown names and empty values', () => {
    expect(normalizeCountry('Atlantis')).toEqual({ ok: false, reason: 'not a country: unknown name or code' });
    expect(normalizeCountry('ZZ')).toEqual({ ok: false, reason: 'not a country: unknown name or code' });
    expect(normalizeCountry('')).toEqual({ ok: false, reason: 'empty value' });
  });
});
