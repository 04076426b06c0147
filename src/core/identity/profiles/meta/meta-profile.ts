import type { IdentityProfile } from '../../identity-profile.js';
import { DEFAULT_RULES } from '../default-profile.js';
import { defineProfile } from '../define-profile.js';
import { refuseBlank } from './meta-blank.js';
import { metaDob } from './meta-dob.js';
import { metaEmail } from './meta-email.js';
import { metaGender } from './meta-gender.js';
import { metaPhone } from './meta-phone.js';
import { metaCountry, metaState } from './meta-region.js';
import { metaCity, metaExternalId, metaName } from './meta-text.js';
import { metaZip } from './meta-zip.js';

/**
 * Meta Conversions API customer information parameters (em, ph, fn, ln, ct, st, zp,
 * country, db, ge, external_id), hashed as lower-case hex SHA-256, normalised exactly as
 * Meta's own Parameter Builder does (facebook/capi-param-builder, whose test suites are
 * the conformance cases in test/fixtures/partner-cases/meta/). Meta is more lenient than
 * our `default` profile: phones are digits without validation, postal codes of any
 * country are kept, names keep digits and accents. Meta takes no street address: `address`
 * follows our default rule (USPS Pub. 28), as every kind a partner leaves open does.
 * docs/identity.md has the rules table.
 *
 * @example
 * ```ts
 * metaProfile.normalize('phone', '+1 (650) 555-1212', { defaultCountry: 'US' }); // { ok: true, value: '16505551212' }
 * metaProfile.normalize('city', 'São Paulo', { defaultCountry: 'BR' }); // { ok: true, value: 'sopaulo' }
 * ```
 */
export const metaProfile: IdentityProfile = defineProfile('meta', 'hex', {
  email: refuseBlank((raw) => metaEmail(raw)),
  phone: refuseBlank((raw) => metaPhone(raw)),
  first_name: refuseBlank((raw) => metaName(raw)),
  last_name: refuseBlank((raw) => metaName(raw)),
  // CAPI has no street-address parameter: an address is matched only inside the room, by our rule.
  address: DEFAULT_RULES.address,
  city: refuseBlank((raw) => metaCity(raw)),
  state: refuseBlank((raw) => metaState(raw)),
  zip: refuseBlank((raw) => metaZip(raw)),
  country: refuseBlank((raw) => metaCountry(raw)),
  dob: refuseBlank((raw, { today }) => metaDob(raw, today === undefined ? {} : { today })),
  gender: refuseBlank((raw) => metaGender(raw)),
  external_id: refuseBlank((raw) => metaExternalId(raw)),
});
