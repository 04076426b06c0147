import { describe, expect, it } from 'vitest';
import { normalizeZip } from './normalize-zip.js';

describe('normalizeZip', () => {
  it.each([
    ['94043', '94043'],
    [' 94043 ', '94043'],
    ['94043-1234', '94043'],
    ['94043 1234', '94043'],
    ['940431234', '94043'],
    ['2134', '02134'],
    ['501', '00501'],
  ])('reads US %j as %s', (raw, zip) => {
    expect(normalizeZip(raw)).toEqual({ ok: true, value: zip });
  });

  it('uses US ZIP codes for US territories', () => {
    expect(normalizeZip('00901-1234', { defaultCountry: 'PR' })).toEqual({ ok: true, value: '00901' });
  });

  it.each(['9404x', '94043-12', 'ABCDE', '940431', '12'])('rejects US %j', (raw) => {
    expect(normalizeZip(raw)).toEqual({
      ok: false,
      reason: 'not a US ZIP code: expected 5 digits or ZIP+4 (12345-6789)',
    });
  });

  it('writes UK postcodes upper-case without spaces', () => {
    expect(normalizeZip('sw1a 1aa', { defaultCountry: 'GB' })).toEqual({ ok: true, value: 'SW1A1AA' });
    expect(normalizeZip('M1 1AE', { defaultCountry: 'gb' })).toEqual({ ok: true, value: 'M11AE' });
    expect(normalizeZip('EC1A1BB', { defaultCountry: 'JE' })).toEqual({ ok: true, value: 'EC1A1BB' });
    expect(normalizeZip('12345', { defaultCountry: 'GB' })).toEqual({
      ok: false,
      reason: 'not a UK postcode: expected a form like SW1A 1AA',
    });
  });

  it('writes Canadian postal codes as A1A1A1', () => {
    expect(normalizeZip('k1a 0b1', { defaultCountry: 'CA' })).toEqual({ ok: true, value: 'K1A0B1' });
    expect(normalizeZip('K1A-0B1', { defaultCountry: 'CA' })).toEqual({ ok: true, value: 'K1A0B1' });
    expect(normalizeZip('D1A 0B1', { defaultCountry: 'CA' })).toEqual({
      ok: false,
      reason: 'not a Canadian postal code: expected A1A 1A1',
    });
  });

  it('keeps only letters and digits elsewhere', () => {
    expect(normalizeZip('1234 ab', { defaultCountry: 'NL' })).toEqual({ ok: true, value: '1234AB' });
    expect(normalizeZip('00-950', { defaultCountry: 'PL' })).toEqual({ ok: true, value: '00950' });
    expect(normalizeZip('75018', { defaultCountry: 'FR' })).toEqual({ ok: true, value: '75018' });
    expect(normalizeZip('1987', { defaultCountry: 'AU' })).toEqual({ ok: true, value: '1987' });
    expect(normalizeZip('#', { defaultCountry: 'FR' })).toEqual({
      ok: false,
      reason: 'not a postal code: expected 2 to 10 letters or digits',
    });
  });

  it('rejects empty values', () => {
    expect(normalizeZip('\u00a0\u200b')).toEqual({ ok: false, reason: 'empty value' });
  });
});
