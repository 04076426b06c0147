/**
 * The public face of cleanroom's identity module: normalise identifiers by a partner
 * profile's rules, then hash them (SHA-256, or HMAC-SHA256 under a collaboration key).
 * Rules, sources and the hashing definition: docs/identity.md.
 *
 * @example
 * ```ts
 * import { createHasher, getProfile } from './core/identity/index.js';
 * const profile = getProfile('uid2');
 * const result = profile.normalize('email', ' Jane.Saoirse@gmail.com', { defaultCountry: 'US' });
 * if (result.ok) createHasher({ scheme: 'sha256', encoding: profile.hashEncoding }).hash(result.value);
 * // 'ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8='
 * ```
 */
export { IDENTIFIER_KINDS, isIdentifierKind } from './identifier-kind.js';
export type { IdentifierKind, NormalizeOptions, Normalized } from './identifier-kind.js';
export { PROFILE_NAMES } from './identity-profile.js';
export type { HashEncoding, IdentityProfile, ProfileName } from './identity-profile.js';

export { cleanText, isAscii } from './clean-text.js';
export { keepLetters } from './keep-letters.js';
export type { KeepLettersOptions } from './keep-letters.js';
export { normalizeEmail } from './normalize-email.js';
export type { NormalizeEmailOptions } from './normalize-email.js';
export { normalizePhone } from './normalize-phone.js';
export { normalizeName } from './normalize-name.js';
export type { NormalizeNameOptions } from './normalize-name.js';
export { normalizeAddress } from './normalize-address.js';
export { normalizeCity } from './normalize-city.js';
export type { NormalizeCityOptions } from './normalize-city.js';
export { normalizeState } from './normalize-state.js';
export type { NormalizeStateOptions } from './normalize-state.js';
export { normalizeZip } from './normalize-zip.js';
export type { NormalizeZipOptions } from './normalize-zip.js';
export { normalizeCountry } from './normalize-country.js';
export { normalizeDob } from './normalize-dob.js';
export type { NormalizeDobOptions } from './normalize-dob.js';
export { normalizeGender } from './normalize-gender.js';
export { normalizeExternalId } from './normalize-external-id.js';

export {
  DEFAULT_RULES,
  PROFILES,
  defaultProfile,
  defineProfile,
  getProfile,
  googleProfile,
  mapValue,
  metaProfile,
  normalizeIdentifier,
  uid2Profile,
} from './profiles.js';
export type { NormalizeIdentifierOptions, NormalizeRule, ProfileRules } from './profiles.js';

export { createHasher, generateHashKey, hashIdentifier, readHashKey } from './hash-identifier.js';
export type { Hasher, HasherOptions } from './hash-identifier.js';
