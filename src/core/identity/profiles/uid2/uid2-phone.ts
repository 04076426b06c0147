import type { Normalized } from '../../identifier-kind.js';
import { normalizePhone } from '../../normalize-phone.js';

/** The UID2 operator's whole phone rule: '+' and 10 to 15 ASCII digits (InputUtil.isPhoneNumberNormalized). */
const UID2_PHONE = /^\+[0-9]{10,15}$/;

/**
 * UID2 phone numbers: the operator takes '+' and 10 to 15 digits exactly as written and
 * validates nothing else (IABTechLab/uid2-operator, InputUtil.isPhoneNumberNormalized), so
 * such a value is kept as it is, valid number or not. UID2 asks the integrator to write
 * numbers in E.164 first; cleanroom does that for any other value (libphonenumber, the
 * default country from the options), keeping only valid numbers of 10 to 15 digits.
 *
 * @example
 * ```ts
 * uid2Phone('+1234567890', { defaultCountry: 'US' }); // { ok: true, value: '+1234567890' }
 * uid2Phone('(650) 253-0000', { defaultCountry: 'US' }); // { ok: true, value: '+16502530000' }
 * ```
 */
export function uid2Phone(raw: string, options: { defaultCountry: string }): Normalized {
  if (UID2_PHONE.test(raw)) return { ok: true, value: raw };
  const result = normalizePhone(raw, { defaultCountry: options.defaultCountry });
  if (!result.ok || UID2_PHONE.test(result.value)) return result;
  return { ok: false, reason: 'not a phone number UID2 accepts: it needs 10 to 15 digits, country code included' };
}
