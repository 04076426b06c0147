import { CleanRoomError } from '../errors.js';
import type { IdentifierKind, NormalizeOptions, Normalized } from './identifier-kind.js';
import { PROFILE_NAMES } from './identity-profile.js';
import type { IdentityProfile, ProfileName } from './identity-profile.js';
import { defaultProfile } from './profiles/default-profile.js';
import { googleProfile } from './profiles/google/google-profile.js';
import { metaProfile } from './profiles/meta/meta-profile.js';
import { uid2Profile } from './profiles/uid2/uid2-profile.js';

export { defaultProfile, DEFAULT_RULES } from './profiles/default-profile.js';
export { googleProfile } from './profiles/google/google-profile.js';
export { metaProfile } from './profiles/meta/meta-profile.js';
export { uid2Profile } from './profiles/uid2/uid2-profile.js';
export { defineProfile, mapValue } from './profiles/define-profile.js';
export type { NormalizeRule, ProfileRules } from './profiles/define-profile.js';

/**
 * Every profile cleanroom ships, by name.
 *
 * @example
 * ```ts
 * PROFILES.uid2.hashEncoding; // 'base64'
 * ```
 */
export const PROFILES: Readonly<Record<ProfileName, IdentityProfile>> = Object.freeze({
  default: defaultProfile,
  meta: metaProfile,
  google: googleProfile,
  uid2: uid2Profile,
});

/**
 * The profile of a name, or an `invalid_argument` error naming the known ones.
 *
 * @example
 * ```ts
 * getProfile('meta').hashEncoding; // 'hex'
 * getProfile('tiktok'); // throws "Cannot use profile 'tiktok': known profiles are default, meta, google, uid2"
 * ```
 */
export function getProfile(name: string): IdentityProfile {
  if ((PROFILE_NAMES as readonly string[]).includes(name)) return PROFILES[name as ProfileName];
  throw new CleanRoomError(
    'invalid_argument',
    `Cannot use profile '${name}': known profiles are ${PROFILE_NAMES.join(', ')}`,
    { details: { profile: name, known: [...PROFILE_NAMES] } },
  );
}

/** Options of {@link normalizeIdentifier}. */
export interface NormalizeIdentifierOptions extends Partial<NormalizeOptions> {
  /** Profile name or object. Default 'default'. */
  profile?: ProfileName | IdentityProfile;
}

/**
 * Normalise one identifier by a profile's rules (the `default` profile and country US
 * unless told otherwise). Never throws for a bad value; throws only for an unknown profile.
 *
 * @example
 * ```ts
 * normalizeIdentifier('email', ' John.Smith@GMAIL.com ', { profile: 'google' });
 * // { ok: true, value: 'johnsmith@gmail.com' }
 * normalizeIdentifier('country', 'Great Britain', { profile: 'meta' }); // { ok: true, value: 'gb' }
 * ```
 */
export function normalizeIdentifier(
  kind: IdentifierKind,
  raw: string,
  options: NormalizeIdentifierOptions = {},
): Normalized {
  const { profile = 'default', defaultCountry = 'US', ...rest } = options;
  const resolved = typeof profile === 'string' ? getProfile(profile) : profile;
  return resolved.normalize(kind, raw, { ...rest, defaultCountry });
}
