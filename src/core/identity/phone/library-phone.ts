import {
  isSupportedCountry,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/core';
import type { CountryCode, MetadataJson, PhoneNumber } from 'libphonenumber-js/core';
import type { NormalizeOptions, Normalized } from '../identifier-kind.js';
import { phoneRejection } from './phone-reasons.js';
import type { InvalidProblem } from './phone-reasons.js';

/** Normalises one phone value to E.164, or says why it cannot. */
export type PhoneNormalizeFunction = (raw: string, options: NormalizeOptions) => Normalized;

const ALPHA_2 = /^[A-Z]{2}$/;
const LETTER = /\p{L}/u;
// libphonenumber-js 1.13 validates a phone-context with module-level /g regexes and
// `test()`, so the same value alternates between accepted and rejected (open PR
// catamphetamine/libphonenumber-js#498). Such URIs are not read rather than read by chance.
const PHONE_CONTEXT = ';phone-context=';

/**
 * Builds the reference phone normaliser: libphonenumber-js alone, with no shortcut. It is
 * the authority the fast path is tested against, and its fallback.
 *
 * NFC, trim, then `parsePhoneNumberWithError(text, { defaultCountry, extract: false })`:
 * the whole cell must be a phone number (plus an optional extension, which is dropped), so
 * "call 650 555 1212" is rejected rather than half-read. A '+' or the default country's
 * international prefix ("00", "011", ...) makes the number international, as in the library.
 * Letters are not turned into digits: the library does not, and a vanity number in a
 * customer file is more often a typo than a real "1-800-FLOWERS".
 *
 * @example
 * ```ts
 * import metadata from 'libphonenumber-js/min/metadata';
 * const normalize = createLibraryPhoneNormalizer(metadata);
 * normalize('(650) 253-0000', { defaultCountry: 'US' }); // { ok: true, value: '+16502530000' }
 * ```
 */
export function createLibraryPhoneNormalizer(metadata: MetadataJson): PhoneNormalizeFunction {
  return function normalizeWithLibrary(raw, { defaultCountry }) {
    const text = raw.normalize('NFC').trim();
    if (!isKnownCountry(defaultCountry, metadata)) {
      return phoneRejection.unknownDefaultCountry(defaultCountry);
    }
    if (text === '') return phoneRejection.empty();
    if (text.includes(PHONE_CONTEXT)) return phoneRejection.phoneContext();
    const options = { defaultCountry, extract: false };
    let phone: PhoneNumber;
    try {
      phone = parsePhoneNumberWithError(text, options, metadata);
    } catch (error) {
      if (error instanceof ParseError) return parseRejection(error.message, text, defaultCountry);
      throw error;
    }
    if (phone.isValid()) return { ok: true, value: phone.number };
    const where = { country: phone.country, callingCode: phone.countryCallingCode, defaultCountry };
    return phoneRejection.invalid(lengthProblem(validatePhoneNumberLength(text, options, metadata)), where);
  };
}

// Upper-case ISO alpha-2 and in the metadata: `parse` itself looks countries up with a
// plain property read, which "constructor" would pass.
function isKnownCountry(country: string, metadata: MetadataJson): country is CountryCode {
  return ALPHA_2.test(country) && isSupportedCountry(country as CountryCode, metadata);
}

function parseRejection(code: string, text: string, defaultCountry: string): Normalized {
  switch (code) {
    case 'TOO_SHORT':
      return phoneRejection.tooShort();
    case 'TOO_LONG':
      return phoneRejection.tooLong();
    // The default country is known, so this is a '+' or international prefix followed by
    // digits that start no calling code (+0…, +999…).
    case 'INVALID_COUNTRY':
      return phoneRejection.unknownCallingCode(defaultCountry);
    default:
      return LETTER.test(text) ? phoneRejection.letters() : phoneRejection.notANumber();
  }
}

function lengthProblem(result: string | undefined): InvalidProblem {
  if (result === 'TOO_SHORT' || result === 'TOO_LONG' || result === 'INVALID_LENGTH') return result;
  return 'NOT_VALID';
}
