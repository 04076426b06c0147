import type { IdentityProfile } from '../identity-profile.js';
import { normalizeAddress } from '../normalize-address.js';
import { normalizeCity } from '../normalize-city.js';
import { normalizeCountry } from '../normalize-country.js';
import { normalizeDob } from '../normalize-dob.js';
import { normalizeEmail } from '../normalize-email.js';
import { normalizeExternalId } from '../normalize-external-id.js';
import { normalizeGender } from '../normalize-gender.js';
import { normalizeName } from '../normalize-name.js';
import { normalizePhone } from '../normalize-phone.js';
import { normalizeState } from '../normalize-state.js';
import { normalizeZip } from '../normalize-zip.js';
import { defineProfile } from './define-profile.js';
import type { ProfileRules } from './define-profile.js';

const GMAIL_DOMAINS = ['gmail.com', 'googlemail.com'];

/**
 * cleanroom's own rules, tuned for match rate between two parties who both use them:
 * one mailbox gives one value (Gmail dots and '+tag' removed, googlemail.com written
 * gmail.com), names and cities lose accents, spaces and punctuation, codes are upper case.
 * The partner profiles reuse these rules for the kinds their documentation leaves open.
 *
 * @example
 * ```ts
 * DEFAULT_RULES.email('John.Smith+x@GoogleMail.com', { defaultCountry: 'US' }); // { ok: true, value: 'johnsmith@gmail.com' }
 * ```
 */
export const DEFAULT_RULES: ProfileRules = {
  email: (raw) => normalizeEmail(raw, { gmailDomains: GMAIL_DOMAINS, mergeGooglemail: true }),
  phone: (raw, { defaultCountry }) => normalizePhone(raw, { defaultCountry }),
  first_name: (raw) => normalizeName(raw, { part: 'first', foldAccents: true }),
  last_name: (raw) => normalizeName(raw, { part: 'last', foldAccents: true }),
  address: (raw) => normalizeAddress(raw),
  city: (raw) => normalizeCity(raw, { foldAccents: true }),
  state: (raw, { defaultCountry }) => normalizeState(raw, { defaultCountry }),
  zip: (raw, { defaultCountry }) => normalizeZip(raw, { defaultCountry }),
  country: (raw) => normalizeCountry(raw),
  dob: (raw, { dateOrder, today }) =>
    normalizeDob(raw, {
      ...(dateOrder === undefined ? {} : { dateOrder }),
      ...(today === undefined ? {} : { today }),
    }),
  gender: (raw) => normalizeGender(raw),
  external_id: (raw) => normalizeExternalId(raw),
};

/**
 * The `default` profile: {@link DEFAULT_RULES}, hashes in lower-case hex.
 *
 * @example
 * ```ts
 * defaultProfile.normalize('first_name', ' José ', { defaultCountry: 'US' }); // { ok: true, value: 'jose' }
 * ```
 */
export const defaultProfile: IdentityProfile = defineProfile('default', 'hex', DEFAULT_RULES);
