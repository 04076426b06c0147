import { getCountries, getCountryCallingCode, parsePhoneNumberWithError } from 'libphonenumber-js/core';
import examples from 'libphonenumber-js/mobile/examples';
import metadata from 'libphonenumber-js/min/metadata';

/**
 * One country's sample shapes: a real example number (from the library's mobile examples)
 * and how the library writes it nationally and internationally, so that generated samples
 * look like what people type ("020 7946 0018", "(11) 96123-4567", "+49 1512 3456789").
 */
export interface CountryTemplate {
  readonly country: string;
  readonly callingCode: string;
  readonly example: string;
  /** National format, trunk prefix included ("07400 123456"). */
  readonly national: string;
  /** International format ("+44 7400 123456"). */
  readonly international: string;
}

/** The pools a sample generator draws from; derived once from the library's data. */
export interface SamplePools {
  readonly templates: readonly CountryTemplate[];
  readonly byCountry: ReadonlyMap<string, CountryTemplate>;
  /** NANP area codes the library holds valid for US numbers, and for Canadian ones. */
  readonly usAreaCodes: readonly string[];
  readonly caAreaCodes: readonly string[];
  /** Area codes of the other NANP members (Caribbean, Pacific): 242, 246, 268, 876, ... */
  readonly otherNanpAreaCodes: readonly string[];
}

let pools: SamplePools | undefined;

/**
 * The sample pools, built on first use (about 1 000 library calls) and kept.
 *
 * @example
 * ```ts
 * samplePools().byCountry.get('GB')?.national; // '07400 123456'
 * ```
 */
export function samplePools(): SamplePools {
  pools ??= buildPools();
  return pools;
}

function buildPools(): SamplePools {
  const templates: CountryTemplate[] = [];
  for (const country of getCountries(metadata)) {
    const example = examples[country];
    if (example === undefined) continue;
    const phone = parsePhoneNumberWithError(example, { defaultCountry: country }, metadata);
    templates.push({
      country,
      callingCode: getCountryCallingCode(country, metadata),
      example: phone.nationalNumber,
      national: phone.formatNational(),
      international: phone.formatInternational(),
    });
  }
  const usAreaCodes: string[] = [];
  const caAreaCodes: string[] = [];
  const otherNanpAreaCodes: string[] = [];
  for (let areaCode = 200; areaCode <= 999; areaCode++) {
    const phone = parsePhoneNumberWithError(`+1${areaCode}2345678`, metadata);
    if (!phone.isValid()) continue;
    const pool = phone.country === 'US' ? usAreaCodes : phone.country === 'CA' ? caAreaCodes : otherNanpAreaCodes;
    pool.push(String(areaCode));
  }
  const byCountry = new Map(templates.map((template) => [template.country, template]));
  return { templates, byCountry, usAreaCodes, caAreaCodes, otherNanpAreaCodes };
}

/**
 * Writes `nationalNumber` into the digit slots of `formatted`, right-aligned: the digits
 * before the slots (calling code, trunk prefix) stay as they are.
 *
 * @example
 * ```ts
 * fillDigits('+44 7400 123456', '7911654321'); // '+44 7911 654321'
 * fillDigits('07400 123456', '7911654321'); // '07911 654321'
 * ```
 */
export function fillDigits(formatted: string, nationalNumber: string): string {
  const chars = formatted.split('');
  let next = nationalNumber.length - 1;
  for (let i = chars.length - 1; i >= 0 && next >= 0; i--) {
    const char = chars[i] as string;
    if (char >= '0' && char <= '9') chars[i] = nationalNumber[next--] as string;
  }
  return chars.join('');
}
