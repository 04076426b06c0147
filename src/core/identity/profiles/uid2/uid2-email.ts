import type { Normalized } from '../../identifier-kind.js';

const GMAIL = 'gmail.com';

/**
 * The UID2 operator's email normalisation (IABTechLab/uid2-operator, InputUtil.
 * normalizeEmailString), reproduced: ASCII A-Z lower-cased (nothing else), spaces dropped
 * from the part before '@' and from the end of the domain, and for gmail.com only — not
 * googlemail.com — dots and a '+tag' removed before '@'. No other check: the operator
 * accepts any character, so an emoji address is an address; a second '@', an empty
 * domain or an empty name before '@' is not.
 *
 * @example
 * ```ts
 * uid2Email(' TEst.TEst+123@GMail.Com '); // { ok: true, value: 'testtest@gmail.com' }
 * uid2Email('a@ba@z.com'); // { ok: false, reason: "not an email address: more than one '@'" }
 * ```
 */
export function uid2Email(raw: string): Normalized {
  let local = '';
  let gmailLocal = '';
  let domain = '';
  let spaces = '';
  let inDomain = false;
  let inTag = false;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    const c = code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : raw[i]!;
    if (!inDomain) {
      // The operator skips every space before '@' (its parser never leaves its start state there).
      if (c === ' ') continue;
      if (c === '@') inDomain = true;
      else {
        local += c;
        if (c === '+') inTag = true;
        else if (c !== '.' && !inTag) gmailLocal += c;
      }
    } else if (c === '@') {
      return { ok: false, reason: "not an email address: more than one '@'" };
    } else if (c === ' ') {
      spaces += c;
    } else {
      domain += spaces + c;
      spaces = '';
    }
  }
  if (raw.trim().length === 0) return { ok: false, reason: 'empty value' };
  if (!inDomain) return { ok: false, reason: "not an email address: no '@'" };
  if (domain.length === 0) return { ok: false, reason: "not an email address: nothing after '@'" };
  const name = domain === GMAIL ? gmailLocal : local;
  if (name.length === 0) return { ok: false, reason: "not an email address: nothing before '@' (a Gmail address needs more than dots and a '+tag')" };
  return { ok: true, value: `${name}@${domain}` };
}
