/** Printable ASCII only: such a string is already NFC and holds no invisible characters. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Characters that render as nothing but change the bytes of a value, so that two values
 * that look identical hash differently: C0/C1 controls (not whitespace), soft hyphen,
 * zero-width space/joiners, bidi marks and embeddings, word joiner, invisible operators,
 * byte-order mark.
 */
const INVISIBLE =
  /[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/**
 * The first step of every normaliser: drop invisible characters, Unicode NFC, trim
 * whitespace (including NBSP and the other Unicode spaces) at both ends.
 *
 * Printable ASCII skips the Unicode work entirely (the common case, and the fast path the
 * prepare pipeline depends on).
 *
 * @example
 * ```ts
 * cleanText('\u00a0Jose\u0301\u200b '); // 'José' (NFC: one code point for é)
 * ```
 */
export function cleanText(raw: string): string {
  if (PRINTABLE_ASCII.test(raw)) return raw.trim();
  // Invisible characters go before NFC: a zero-width joiner between a letter and its
  // combining accent would otherwise keep them from composing.
  return raw.replace(INVISIBLE, '').normalize('NFC').trim();
}

/**
 * True when a string is plain ASCII, so that callers can pick a faster, simpler path.
 *
 * @example
 * ```ts
 * isAscii('Smith'); // true
 * isAscii('Müller'); // false
 * ```
 */
export function isAscii(value: string): boolean {
  return ASCII.test(value);
}

const ASCII = /^[\x00-\x7f]*$/;
