import { cleanText } from '../../clean-text.js';
import type { NormalizeRule } from '../define-profile.js';

const EMPTY = { ok: false, reason: 'empty value' } as const;

/**
 * A Meta rule that first refuses a value holding nothing but whitespace and invisible
 * characters (a zero-width space, a BOM), as every cleanroom rule does; any other value
 * goes to Meta's rule untouched, control characters and all, as Meta's SDK sees it.
 *
 * @example
 * ```ts
 * refuseBlank(metaName)('\u200b', { defaultCountry: 'US' }); // { ok: false, reason: 'empty value' }
 * ```
 */
export function refuseBlank(rule: NormalizeRule): NormalizeRule {
  return (raw, options) => {
    const first = raw.charCodeAt(0);
    // Fast path: a value starting with a printable ASCII character is not blank.
    if (first > 32 && first < 127) return rule(raw, options);
    return cleanText(raw).length === 0 ? EMPTY : rule(raw, options);
  };
}
