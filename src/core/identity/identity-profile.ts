import type { IdentifierKind, NormalizeOptions, Normalized } from './identifier-kind.js';

/** The partner formatting rule sets cleanroom ships. See docs/identity.md. */
export const PROFILE_NAMES = ['default', 'meta', 'google', 'uid2'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** How a profile writes a hash: lower-case hex (64 chars) or standard Base64 (44 chars). */
export type HashEncoding = 'hex' | 'base64';

/**
 * One partner's normalisation rules. Every kind is accepted; a profile that publishes no
 * rule for a kind applies the `default` rule for it (documented in docs/identity.md).
 */
export interface IdentityProfile {
  readonly name: ProfileName;
  readonly hashEncoding: HashEncoding;
  normalize(kind: IdentifierKind, raw: string, options: NormalizeOptions): Normalized;
}
