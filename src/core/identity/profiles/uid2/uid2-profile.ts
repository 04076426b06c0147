import type { Normalized } from '../../identifier-kind.js';
import type { IdentityProfile } from '../../identity-profile.js';
import { normalizeEmail } from '../../normalize-email.js';
import { normalizePhone } from '../../normalize-phone.js';
import { DEFAULT_RULES } from '../default-profile.js';
import { defineProfile } from '../define-profile.js';

/** The UID2 operator accepts '+' and 10 to 15 digits (IABTechLab/uid2-operator, service/InputUtil.java, isPhoneNumberNormalized). */
const UID2_PHONE = /^\+\d{10,15}$/;

/**
 * Unified ID 2.0 directly identifying information, hashed as Base64 of the SHA-256 bytes:
 * https://unifiedid.com/docs/getting-started/gs-normalization-encoding
 *
 * email trimmed and lower-cased, and for gmail.com only (not googlemail.com) dots and
 * '+tag' removed before '@'; phone E.164 with '+', 10 to 15 digits. UID2 defines no other
 * kind: the others follow our default rules.
 *
 * @example
 * ```ts
 * uid2Profile.normalize('email', 'Jane.Saoirse+Work@gmail.com', { defaultCountry: 'US' });
 * // { ok: true, value: 'janesaoirse@gmail.com' }
 * ```
 */
export const uid2Profile: IdentityProfile = defineProfile('uid2', 'base64', {
  ...DEFAULT_RULES,
  email: (raw) => normalizeEmail(raw, { gmailDomains: ['gmail.com'] }),
  phone: (raw, { defaultCountry }) => uid2Phone(normalizePhone(raw, { defaultCountry })),
});

function uid2Phone(result: Normalized): Normalized {
  if (!result.ok || UID2_PHONE.test(result.value)) return result;
  return { ok: false, reason: 'not a phone number UID2 accepts: it needs 10 to 15 digits, country code included' };
}
