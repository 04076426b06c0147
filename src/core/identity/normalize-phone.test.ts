import { describe, expect, it } from 'vitest';
import { createPhoneNormalizer, normalizePhone, normalizePhoneWithLibrary } from './normalize-phone.js';

const US = { defaultCountry: 'US' };
const ok = (value: string) => ({ ok: true, value });
const reasonOf = (raw: string, defaultCountry = 'US'): string => {
  const result = normalizePhone(raw, { defaultCountry });
  return result.ok ? `accepted as ${result.value}` : result.reason;
};

describe('normalizePhone', () => {
  it.each([
    '(650) 555-1212',
    '650.555.1212',
    '650-555-1212',
    '6505551212',
    '+1 650 555 1212',
    '+1 (650) 555-1212',
    '+16505551212',
    '1-650-555-1212',
    '1 (650) 555-1212',
    '011 1 650 555 1212',
  ])('writes the US number %j as +16505551212', (raw) => {
    expect(normalizePhone(raw, US)).toEqual(ok('+16505551212'));
  });

  it('writes one phone typed two ways identically', () => {
    expect(normalizePhone('(650) 555-1212', US)).toEqual(normalizePhone('+1 650 555 1212', US));
  });

  it.each([
    ['+44 20 7946 0018', 'US', '+442079460018'],
    ['020 7946 0018', 'GB', '+442079460018'],
    ['0049 30 123456', 'GB', '+4930123456'],
    ['030 123456', 'DE', '+4930123456'],
    ['+33 (0)1 23 45 67 89', 'US', '+33123456789'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['98765 43210', 'IN', '+919876543210'],
    ['(11) 91234-5678', 'BR', '+5511912345678'],
    ['0412 345 678', 'AU', '+61412345678'],
    ['55 1234 5678', 'MX', '+525512345678'],
    ['8 (800) 555-35-35', 'RU', '+78005553535'],
  ])('reads %j with default country %s as %s', (raw, defaultCountry, value) => {
    expect(normalizePhone(raw, { defaultCountry })).toEqual(ok(value));
  });

  it('reads the international prefix of the default country only ("011" in the US, "00" in GB)', () => {
    expect(normalizePhone('011 44 20 7946 0018', US)).toEqual(ok('+442079460018'));
    expect(normalizePhone('0044 20 7946 0018', { defaultCountry: 'GB' })).toEqual(ok('+442079460018'));
    expect(reasonOf('00 44 20 7946 0018')).toBe('phone is too long for US (+1), read with default country US');
  });

  it('places +1 numbers in their NANP country whatever the default country', () => {
    expect(normalizePhone('604 555 1234', US)).toEqual(ok('+16045551234'));
    expect(normalizePhone('212 555 1234', { defaultCountry: 'CA' })).toEqual(ok('+12125551234'));
    expect(normalizePhone('1 650 555 1212', { defaultCountry: 'CA' })).toEqual(ok('+16505551212'));
    expect(normalizePhone('+1 876 920 1234', { defaultCountry: 'GB' })).toEqual(ok('+18769201234'));
  });

  it.each(['650 555 1212 x123', '650-555-1212 ext. 5', '650 555 1212 EXT 12', '650 555 1212 #12'])(
    'drops the extension of %j',
    (raw) => {
      expect(normalizePhone(raw, US)).toEqual(ok('+16505551212'));
    },
  );

  it('trims whitespace, applies NFC and reads full-width digits as the library does', () => {
    expect(normalizePhone('\u00a0 (650) 555-1212\t\n', US)).toEqual(ok('+16505551212'));
    expect(normalizePhone('６５０５５５１２１２', US)).toEqual(ok('+16505551212'));
  });

  it.each(['', '   ', '\t'])('rejects the empty value %j', (raw) => {
    expect(reasonOf(raw)).toBe('phone is empty');
  });

  it.each(['1-800-FLOWERS', 'N/A', '650 555 1212 (home)', 'tel:+16505551212'])(
    'rejects %j for its letters: vanity numbers are not converted',
    (raw) => {
      expect(reasonOf(raw)).toBe('phone contains letters: vanity numbers such as 1-800-FLOWERS are not converted');
    },
  );

  it('rejects punctuation without digits as not a phone number', () => {
    expect(reasonOf('()--')).toBe('phone is not a phone number: expected digits and punctuation');
  });

  it('rejects values too short or too long to be any phone number', () => {
    expect(reasonOf('+1')).toBe('phone is too short to be a phone number');
    expect(reasonOf('6'.repeat(251))).toBe('phone is too long to be a phone number');
  });

  it('rejects a length the assumed country does not use, naming that country', () => {
    expect(reasonOf('123-4567')).toBe('phone is too short for US (+1), read with default country US');
    expect(reasonOf('650 555 12120')).toBe('phone is too long for US (+1), read with default country US');
    expect(reasonOf('+44 20 7946 00')).toBe(
      'phone has an impossible length for calling code +44, read with default country US',
    );
  });

  it('rejects a number that is possible but not valid, naming the country assumed', () => {
    expect(reasonOf('(555) 555-1212')).toBe('phone is not a valid number for US (+1), read with default country US');
    expect(reasonOf('+1 (555) 123-4567', 'GB')).toBe(
      'phone is not a valid number for calling code +1, read with default country GB',
    );
    expect(reasonOf('020 7946 001', 'GB')).toBe('phone is not a valid number for GB (+44), read with default country GB');
  });

  it('rejects an international number whose calling code does not exist', () => {
    expect(reasonOf('+999 123 4567')).toBe('phone has an unknown international calling code (default country US)');
    expect(reasonOf('+0 650')).toBe('phone has an unknown international calling code (default country US)');
  });

  it.each(['XX', 'us', '', 'USA', 'constructor'])('rejects the unknown default country %j', (defaultCountry) => {
    expect(reasonOf('+1 650 555 1212', defaultCountry)).toBe(
      `cannot read phones with default country ${JSON.stringify(defaultCountry)}: ` +
        'expected an upper-case ISO 3166-1 alpha-2 code libphonenumber-js knows, such as "US"',
    );
  });

  it('rejects an RFC 3966 phone-context, which the library validates inconsistently', () => {
    const raw = 'tel:650-253-0000;phone-context=+1';
    expect(reasonOf(raw)).toBe('phone is an RFC 3966 URI with a phone-context, which is not read: write the number itself');
    expect(normalizePhoneWithLibrary(raw, US)).toEqual(normalizePhoneWithLibrary(raw, US));
  });
});

describe('createPhoneNormalizer', () => {
  it('answers plain values without the library and memoises the fallbacks', () => {
    const phones = createPhoneNormalizer();
    phones.normalize('(650) 555-1212', US);
    phones.normalize('N/A', US);
    phones.normalize('N/A', US);
    expect(phones.stats()).toEqual({ calls: 3, fastPath: 1, cacheHits: 1, library: 1 });
  });

  it('returns a fresh object from the memo, so one caller cannot change another result', () => {
    const phones = createPhoneNormalizer();
    const first = phones.normalize('N/A', US);
    (first as { reason: string }).reason = 'edited';
    expect(phones.normalize('N/A', US)).toEqual(normalizePhoneWithLibrary('N/A', US));
  });

  it('sends every value to the library when the fast path is off', () => {
    const phones = createPhoneNormalizer({ fastPath: false, cacheSize: 0 });
    expect(phones.normalize('(650) 555-1212', US)).toEqual(ok('+16505551212'));
    expect(phones.stats()).toEqual({ calls: 1, fastPath: 0, cacheHits: 0, library: 1 });
  });
});
