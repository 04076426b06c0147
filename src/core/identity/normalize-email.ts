import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';

/** Options of {@link normalizeEmail}. */
export interface NormalizeEmailOptions {
  /**
   * Domains whose mailboxes ignore dots and a '+tag' in the local part (Gmail): for an
   * address at one of them, dots are removed and '+' with everything after it is cut.
   * Default: none (the address is only trimmed and lower-cased).
   */
  gmailDomains?: readonly string[];
  /** Write `googlemail.com` as `gmail.com` (the same mailbox). Default false. */
  mergeGooglemail?: boolean;
}

const WHITESPACE = /\s/;
const WHITESPACE_ALL = /\s+/g;
const DOTS = /\./g;
/** Characters RFC 5322 allows in a local part only inside quotes, which we do not accept. */
const LOCAL_FORBIDDEN = /[(),:;<>[\\\]"]/;
/** Host names: dot-separated labels of letters, digits and inner hyphens; a TLD of 2+ letters or punycode. */
const ASCII_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z]{2,}|xn--[a-z0-9-]+)$/;
const UNICODE_DOMAIN =
  /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?\.)+(?:[\p{L}\p{M}]{2,}|xn--[a-z0-9-]+)$/u;
const NON_ASCII = /[^\x00-\x7f]/;
const NO_DOMAINS: readonly string[] = [];

/**
 * Normalise an email address: NFC, remove all whitespace (leading, trailing and inside),
 * lower-case, check its shape, then apply the Gmail rule for `gmailDomains`.
 *
 * The reason of an invalid value never repeats the value: reasons end up in quality
 * reports and logs, and an email address is personal data.
 *
 * @example
 * ```ts
 * normalizeEmail(' John.Smith+news@GMAIL.com ', { gmailDomains: ['gmail.com'] });
 * // { ok: true, value: 'johnsmith@gmail.com' }
 * normalizeEmail('john.smith'); // { ok: false, reason: "not an email address: no '@'" }
 * ```
 */
export function normalizeEmail(raw: string, options: NormalizeEmailOptions = {}): Normalized {
  const { gmailDomains = NO_DOMAINS, mergeGooglemail = false } = options;
  let text = cleanText(raw);
  if (WHITESPACE.test(text)) text = text.replace(WHITESPACE_ALL, '');
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  text = text.toLowerCase();

  const at = text.indexOf('@');
  if (at === -1) return { ok: false, reason: "not an email address: no '@'" };
  if (text.indexOf('@', at + 1) !== -1) {
    return { ok: false, reason: "not an email address: more than one '@'" };
  }
  let local = text.slice(0, at);
  let domain = text.slice(at + 1);
  if (local.length === 0) return { ok: false, reason: "not an email address: nothing before '@'" };
  if (domain.length === 0) return { ok: false, reason: "not an email address: nothing after '@'" };
  if (text.length > 254) return { ok: false, reason: 'not an email address: longer than 254 characters' };
  if (local.length > 64) {
    return { ok: false, reason: "not an email address: more than 64 characters before '@'" };
  }
  if (LOCAL_FORBIDDEN.test(local)) {
    return { ok: false, reason: "not an email address: a character before '@' is not allowed unquoted" };
  }
  const domainOk = NON_ASCII.test(domain) ? UNICODE_DOMAIN.test(domain) : ASCII_DOMAIN.test(domain);
  if (!domainOk) return { ok: false, reason: "not an email address: the part after '@' is not a domain name" };

  if (gmailDomains.includes(domain)) {
    const plus = local.indexOf('+');
    if (plus !== -1) local = local.slice(0, plus);
    local = local.replace(DOTS, '');
    if (local.length === 0) {
      return { ok: false, reason: "not an email address: nothing before '@' once Gmail dots and '+tag' are removed" };
    }
    if (mergeGooglemail && domain === 'googlemail.com') domain = 'gmail.com';
    return { ok: true, value: `${local}@${domain}` };
  }
  return { ok: true, value: text };
}
