import type { IdentityProfile } from '../identity-profile.js';
import { normalizeCity } from '../normalize-city.js';
import { normalizeEmail } from '../normalize-email.js';
import { normalizeName } from '../normalize-name.js';
import { normalizePhone } from '../normalize-phone.js';
import { DEFAULT_RULES } from './default-profile.js';
import { defineProfile, mapValue } from './define-profile.js';

const lower = (value: string): string => value.toLowerCase();

/**
 * Meta Conversions API customer information parameters (em, ph, fn, ln, ct, st, zp,
 * country, db, ge, external_id), hashed as lower-case hex SHA-256:
 * https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
 *
 * em trimmed and lower-cased (no Gmail rule); ph digits with country code, no '+';
 * fn/ln and ct lower-case letters of any script, accents kept (Meta's "Valéry" →
 * "valéry"), no punctuation or spaces; st, zp, country lower-case; db YYYYMMDD; ge f/m.
 *
 * @example
 * ```ts
 * metaProfile.normalize('phone', '(650) 555-1212', { defaultCountry: 'US' }); // { ok: true, value: '16505551212' }
 * ```
 */
export const metaProfile: IdentityProfile = defineProfile('meta', 'hex', {
  ...DEFAULT_RULES,
  email: (raw) => normalizeEmail(raw),
  // E.164 without its '+': digits only, country code first, never a leading zero.
  phone: (raw, { defaultCountry }) => mapValue(normalizePhone(raw, { defaultCountry }), (v) => v.slice(1)),
  first_name: (raw) => normalizeName(raw, { part: 'first' }),
  last_name: (raw) => normalizeName(raw, { part: 'last' }),
  city: (raw) => normalizeCity(raw),
  state: (raw, options) => mapValue(DEFAULT_RULES.state(raw, options), lower),
  zip: (raw, options) => mapValue(DEFAULT_RULES.zip(raw, options), lower),
  country: (raw, options) => mapValue(DEFAULT_RULES.country(raw, options), lower),
});
