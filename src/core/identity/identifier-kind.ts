/**
 * The kinds of identifier cleanroom knows how to normalise and hash.
 *
 * @example
 * ```ts
 * isIdentifierKind('email'); // true
 * ```
 */
export const IDENTIFIER_KINDS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'address',
  'city',
  'state',
  'zip',
  'country',
  'dob',
  'gender',
  'external_id',
] as const;

export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export function isIdentifierKind(value: string): value is IdentifierKind {
  return (IDENTIFIER_KINDS as readonly string[]).includes(value);
}

/** The outcome of normalising one value: the normalised text, or why it is invalid. */
export type Normalized = { ok: true; value: string } | { ok: false; reason: string };

/** Options every normaliser accepts. */
export interface NormalizeOptions {
  /** ISO 3166-1 alpha-2 country used when a value carries none (phones, postal codes). */
  defaultCountry: string;
  /**
   * How all-numeric dates of birth with the year last are read: 'mdy' (05/03/1985 is
   * May 3rd; the default) or 'dmy' (March 5th). See normalizeDob.
   */
  dateOrder?: 'mdy' | 'dmy';
  /** Today's date as YYYYMMDD, so that a date of birth in the future is rejected. Core never reads the clock. */
  today?: string;
}
