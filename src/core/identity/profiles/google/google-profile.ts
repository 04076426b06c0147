import type { IdentityProfile } from '../../identity-profile.js';
import { normalizeCity } from '../../normalize-city.js';
import { normalizeEmail } from '../../normalize-email.js';
import { normalizeName } from '../../normalize-name.js';
import { DEFAULT_RULES } from '../default-profile.js';
import { defineProfile } from '../define-profile.js';
import { googleZip } from './google-zip.js';

const GMAIL_DOMAINS = ['gmail.com', 'googlemail.com'];

/**
 * Google Customer Match / Data Manager API user data, hashed as lower-case hex SHA-256:
 * https://developers.google.com/data-manager/api/devguides/concepts/formatting
 *
 * email lower-cased, all whitespace removed, and for gmail.com and googlemail.com dots
 * and '+tag' removed before '@' (the domain is kept as written); phone E.164 with '+';
 * given/family name lower-case, no punctuation, title or suffix, inner spaces kept as one,
 * accents kept; city lower-case without symbols, one space between words; region code
 * upper-case ISO 3166-1 alpha-2; postal code: a US ZIP's 5 digits, any other code as written
 * (upper-case, one space between parts), whatever the default country. Customer Match takes
 * no street line, so `address` follows our default rule (USPS Pub. 28).
 *
 * @example
 * ```ts
 * googleProfile.normalize('email', 'John.Smith+ads@googlemail.com', { defaultCountry: 'US' });
 * // { ok: true, value: 'johnsmith@googlemail.com' }
 * ```
 */
export const googleProfile: IdentityProfile = defineProfile('google', 'hex', {
  ...DEFAULT_RULES,
  email: (raw) => normalizeEmail(raw, { gmailDomains: GMAIL_DOMAINS }),
  first_name: (raw) => normalizeName(raw, { part: 'first', spaces: 'single' }),
  last_name: (raw) => normalizeName(raw, { part: 'last', spaces: 'single' }),
  city: (raw) => normalizeCity(raw, { spaces: 'single' }),
  zip: (raw) => googleZip(raw),
});
