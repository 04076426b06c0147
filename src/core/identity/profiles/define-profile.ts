import type { IdentifierKind, NormalizeOptions, Normalized } from '../identifier-kind.js';
import type { HashEncoding, IdentityProfile, ProfileName } from '../identity-profile.js';

/** One normalisation rule: a raw value and the caller's options in, a normalised value or a reason out. */
export type NormalizeRule = (raw: string, options: NormalizeOptions) => Normalized;

/** A rule for every identifier kind. */
export type ProfileRules = Readonly<Record<IdentifierKind, NormalizeRule>>;

/**
 * Build a frozen {@link IdentityProfile} from one rule per identifier kind.
 *
 * @example
 * ```ts
 * const loud = defineProfile('default', 'hex', { ...defaultRules, email: (raw) => normalizeEmail(raw) });
 * loud.normalize('email', ' A@B.com ', { defaultCountry: 'US' }); // { ok: true, value: 'a@b.com' }
 * ```
 */
export function defineProfile(name: ProfileName, hashEncoding: HashEncoding, rules: ProfileRules): IdentityProfile {
  const table = Object.freeze({ ...rules });
  return Object.freeze({
    name,
    hashEncoding,
    normalize(kind: IdentifierKind, raw: string, options: NormalizeOptions): Normalized {
      return table[kind](raw, options);
    },
  });
}

/**
 * Transform the value of a successful result, pass a failure through.
 *
 * @example
 * ```ts
 * mapValue({ ok: true, value: 'US' }, (v) => v.toLowerCase()); // { ok: true, value: 'us' }
 * ```
 */
export function mapValue(result: Normalized, transform: (value: string) => string): Normalized {
  return result.ok ? { ok: true, value: transform(result.value) } : result;
}
