import type { IdentityProfile } from '../../identity-profile.js';
import { DEFAULT_RULES } from '../default-profile.js';
import { defineProfile } from '../define-profile.js';
import { uid2Email } from './uid2-email.js';
import { uid2Phone } from './uid2-phone.js';

/**
 * Unified ID 2.0 directly identifying information, hashed as Base64 of the SHA-256 bytes:
 * https://unifiedid.com/docs/getting-started/gs-normalization-encoding, normalised as the
 * UID2 operator does (IABTechLab/uid2-operator, InputUtil; its tests are the conformance
 * cases in test/fixtures/partner-cases/uid2/). UID2 defines email and phone only: the
 * other kinds, `address` included, follow our default rules. An existing digest (64 hex digits or the 44-char
 * Base64 of 32 bytes) passes through as Base64, as the operator's *_hash fields take it.
 *
 * @example
 * ```ts
 * uid2Profile.normalize('email', 'Jane.Saoirse+Work@gmail.com', { defaultCountry: 'US' });
 * // { ok: true, value: 'janesaoirse@gmail.com' }
 * ```
 */
export const uid2Profile: IdentityProfile = defineProfile('uid2', 'base64', {
  ...DEFAULT_RULES,
  email: (raw) => uid2Email(raw),
  phone: (raw, { defaultCountry }) => uid2Phone(raw, { defaultCountry }),
});
