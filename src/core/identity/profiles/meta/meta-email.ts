import type { Normalized } from '../../identifier-kind.js';

/**
 * Meta's email check, "a good approximation of RFC 2822": a dot-separated local part of
 * word characters and `!#$%&'*+/=?^`{|}~-`, then a domain of LDH labels. (Meta's pattern
 * writes `(:?\.` where `(?:\.` was meant, so one ':' may come before each dot; kept.)
 */
const META_EMAIL =
  /^[\w!#$%&'*+/=?^`{|}~-]+(:?\.[\w!#$%&'*+/=?^`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/**
 * Meta's `em` rule (facebook/capi-param-builder, getNormalizedEmail): lower-case, trim,
 * then the address must pass Meta's pattern. No Gmail step: dots and `+tag` are kept.
 *
 * @example
 * ```ts
 * metaEmail(' John.Smith+x@Example.COM '); // { ok: true, value: 'john.smith+x@example.com' }
 * metaEmail('a@b'); // { ok: false, reason: "not an email address Meta accepts: ..." }
 * ```
 */
export function metaEmail(raw: string): Normalized {
  const value = raw.toLowerCase().trim();
  if (value.length === 0) return { ok: false, reason: 'empty value' };
  if (META_EMAIL.test(value)) return { ok: true, value };
  return { ok: false, reason: value.includes('@') ? "not an email address Meta accepts: a local part of letters, digits and !#$%&'*+/=?^`{|}~.- then '@' and a domain name" : "not an email address: no '@'" };
}
