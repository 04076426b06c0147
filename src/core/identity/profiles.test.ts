import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { IDENTIFIER_KINDS } from './identifier-kind.js';
import type { IdentifierKind } from './identifier-kind.js';
import { PROFILE_NAMES } from './identity-profile.js';
import type { ProfileName } from './identity-profile.js';
import { getProfile, normalizeIdentifier, PROFILES } from './profiles.js';

const US = { defaultCountry: 'US' };

function value(profile: ProfileName, kind: IdentifierKind, raw: string, country = 'US'): string | undefined {
  const result = getProfile(profile).normalize(kind, raw, { defaultCountry: country });
  return result.ok ? result.value : undefined;
}

describe('getProfile', () => {
  it('returns each shipped profile by name, with its hash encoding', () => {
    for (const name of PROFILE_NAMES) expect(getProfile(name).name).toBe(name);
    expect(PROFILE_NAMES.map((name) => getProfile(name).hashEncoding)).toEqual(['hex', 'hex', 'hex', 'base64']);
  });

  it('throws invalid_argument naming the known profiles for an unknown name', () => {
    for (const name of ['tiktok', 'toString', '']) {
      let thrown: unknown;
      try {
        getProfile(name);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CleanRoomError);
      expect((thrown as CleanRoomError).code).toBe('invalid_argument');
      expect((thrown as CleanRoomError).message).toBe(
        `Cannot use profile '${name}': known profiles are default, meta, google, uid2`,
      );
    }
  });

  it('hands out frozen profiles', () => {
    for (const profile of Object.values(PROFILES)) expect(Object.isFrozen(profile)).toBe(true);
  });
});

describe('every profile', () => {
  it.each(PROFILE_NAMES)('%s normalises every kind and returns a reason for an empty value', (name) => {
    const profile = getProfile(name);
    for (const kind of IDENTIFIER_KINDS) {
      const result = profile.normalize(kind, ' \u00a0\u200b', US);
      expect(result.ok, `${name} ${kind}`).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
    }
  });

  it.each(PROFILE_NAMES)('%s never throws for hostile values', (name) => {
    const profile = getProfile(name);
    const hostile = ['\u0000', '@', '+', '////', 'a'.repeat(10_000), '\ud800', '=cmd|x', '0', '1e9', '\u202eevil'];
    for (const kind of IDENTIFIER_KINDS) {
      for (const raw of hostile) expect(() => profile.normalize(kind, raw, US)).not.toThrow();
    }
  });
});

describe('rules that differ between profiles', () => {
  it('applies the Gmail rule per profile', () => {
    const raw = 'John.Smith+ads@GoogleMail.com';
    expect(value('default', 'email', raw)).toBe('johnsmith@gmail.com');
    expect(value('google', 'email', raw)).toBe('johnsmith@googlemail.com');
    expect(value('uid2', 'email', raw)).toBe('john.smith+ads@googlemail.com');
    expect(value('meta', 'email', raw)).toBe('john.smith+ads@googlemail.com');
  });

  it('writes phones as E.164, or its digits for meta', () => {
    expect(value('default', 'phone', '(650) 555-1212')).toBe('+16505551212');
    expect(value('google', 'phone', '(650) 555-1212')).toBe('+16505551212');
    expect(value('uid2', 'phone', '(650) 555-1212')).toBe('+16505551212');
    // Meta keeps the digits as written and adds no country code (its Parameter Builder).
    expect(value('meta', 'phone', '(650) 555-1212')).toBe('6505551212');
    expect(value('meta', 'phone', '+1 (650) 555-1212')).toBe('16505551212');
  });

  it('rejects for uid2 a valid E.164 number with fewer than 10 digits', () => {
    expect(value('default', 'phone', '+683 4002', 'NU')).toBe('+6834002');
    expect(getProfile('uid2').normalize('phone', '+683 4002', { defaultCountry: 'NU' })).toEqual({
      ok: false,
      reason: 'not a phone number UID2 accepts: it needs 10 to 15 digits, country code included',
    });
  });

  it('folds accents and spaces in names for default, keeps accents for meta and google, spaces for google', () => {
    expect(value('default', 'first_name', ' José María ')).toBe('josemaria');
    expect(value('meta', 'first_name', ' José María ')).toBe('josémaría');
    expect(value('google', 'first_name', ' José María ')).toBe('josé maría');
    expect(value('uid2', 'first_name', ' José María ')).toBe('josemaria');
  });

  it('drops titles and suffixes in every profile but meta, which keeps every letter', () => {
    expect(value('meta', 'first_name', 'Mrs. Jane')).toBe('mrsjane');
    expect(value('meta', 'last_name', 'Smith Jr.')).toBe('smithjr');
    for (const name of PROFILE_NAMES.filter((n) => n !== 'meta')) {
      expect(value(name, 'first_name', 'Mrs. Jane')).toBe('jane');
      expect(value(name, 'last_name', 'Smith Jr.')).toBe('smith');
    }
  });

  it('writes cities per profile', () => {
    expect(value('default', 'city', 'São Paulo')).toBe('saopaulo');
    // Meta keeps ASCII letters and digits only: the ã goes.
    expect(value('meta', 'city', 'São Paulo')).toBe('sopaulo');
    expect(value('google', 'city', 'São Paulo')).toBe('são paulo');
  });

  it('writes codes upper-case, and lower-case for meta', () => {
    expect(value('default', 'state', 'california')).toBe('CA');
    expect(value('meta', 'state', 'california')).toBe('ca');
    expect(value('default', 'country', 'United Kingdom')).toBe('GB');
    expect(value('google', 'country', 'United Kingdom')).toBe('GB');
    expect(value('meta', 'country', 'United Kingdom')).toBe('gb');
    expect(value('default', 'zip', 'sw1a 1aa', 'GB')).toBe('SW1A1AA');
    // Meta keeps a postal code as written, inner space included.
    expect(value('meta', 'zip', 'sw1a 1aa', 'GB')).toBe('sw1a 1aa');
  });

  it('shares the date, gender and external id rules, except meta', () => {
    for (const name of PROFILE_NAMES.filter((n) => n !== 'meta')) {
      expect(value(name, 'dob', 'March 5, 1985')).toBe('19850305');
      expect(value(name, 'gender', 'Female')).toBe('f');
      expect(value(name, 'external_id', ' Cust-42 ')).toBe('Cust-42');
    }
    // Meta reads digits only (no month names), and lower-cases external ids.
    expect(value('meta', 'dob', 'March 5, 1985')).toBeUndefined();
    expect(value('meta', 'dob', '03/05/1985')).toBe('19850305');
    expect(value('meta', 'gender', 'Female')).toBe('f');
    expect(value('meta', 'external_id', ' Cust-42 ')).toBe('cust-42');
  });

  it('writes a street address by the default rule (USPS Pub. 28) in every profile: no partner takes one', () => {
    // Meta CAPI, Google Customer Match and UID2 have no street-address field, so no partner
    // format applies; both sides of a room hash the same Pub. 28 value whatever their profile.
    for (const name of PROFILE_NAMES) {
      expect(value(name, 'address', '123 North Main Street Apartment 4B')).toBe('123 n main st apt 4b');
      expect(getProfile(name).normalize('address', 'PO Box 12', US)).toEqual({ ok: false, reason: 'not a street address: a PO box, not a house number and street' });
    }
  });

  it('passes dateOrder and today through to the date rule', () => {
    const profile = getProfile('default');
    expect(profile.normalize('dob', '05/03/1985', { defaultCountry: 'GB', dateOrder: 'dmy' })).toEqual({ ok: true, value: '19850305' });
    expect(profile.normalize('dob', '2030-01-01', { defaultCountry: 'US', today: '20260101' }).ok).toBe(false);
  });
});

describe('normalizeIdentifier', () => {
  it('uses the default profile and country US unless told otherwise', () => {
    expect(normalizeIdentifier('email', ' John.Smith@GMAIL.com ')).toEqual({ ok: true, value: 'johnsmith@gmail.com' });
    expect(normalizeIdentifier('zip', '94043-1234')).toEqual({ ok: true, value: '94043' });
  });

  it('takes a profile by name or object, and a default country', () => {
    expect(normalizeIdentifier('country', 'United Kingdom', { profile: 'meta' })).toEqual({ ok: true, value: 'gb' });
    expect(normalizeIdentifier('zip', 'k1a 0b1', { profile: PROFILES.default, defaultCountry: 'CA' })).toEqual({ ok: true, value: 'K1A0B1' });
    expect(normalizeIdentifier('zip', 'k1a 0b1', { profile: PROFILES.google, defaultCountry: 'CA' })).toEqual({ ok: true, value: 'K1A 0B1' });
  });

  it('throws for an unknown profile name', () => {
    expect(() => normalizeIdentifier('email', 'a@b.com', { profile: 'nope' as ProfileName })).toThrow(CleanRoomError);
  });
});
