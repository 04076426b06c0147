import type { Normalized } from '../identifier-kind.js';
import { phoneRejection } from './phone-reasons.js';
import type { InvalidProblem } from './phone-reasons.js';
import type { CallingCodeRules, PlanRules, PhoneRules } from './phone-rules.js';

// The library's limits (MAX_INPUT_STRING_LENGTH, MIN/MAX_LENGTH_FOR_NSN, MAX_LENGTH_COUNTRY_CODE).
const MAX_INPUT_LENGTH = 250;
const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;
const MAX_CALLING_CODE_LENGTH = 3;

// A subset of the library's extension pattern (createExtensionPattern): "x12", "ext. 5",
// "EXT 123". Whatever it matches, the library strips as an extension too.
const EXTENSION = /^(?:ext|x)\.? *[0-9]{1,9}$/i;

type LengthCheck = 'IS_POSSIBLE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH';

/**
 * The fast path: what `parsePhoneNumberWithError(text, { defaultCountry, extract: false })`
 * then `isValid()` would return, computed over rules compiled from the same metadata, for
 * inputs made only of ASCII digits, spaces, "()-." and one leading '+', optionally followed
 * by a simple extension ("x12", "ext. 5"). It returns `undefined` whenever it is not sure
 * (any other character, fewer than three digits, more than 250 characters), and the caller
 * falls back to the library.
 *
 * Each step mirrors a library helper of libphonenumber-js 1.13 (named in the comments);
 * inside this alphabet no extension, RFC 3966 or Unicode rule can apply, which is why the
 * mirror is short. The differential test holds the two together.
 *
 * @example
 * ```ts
 * const us = rules.country('US')!;
 * normalizePhoneFast('(650) 253-0000', us, rules); // { ok: true, value: '+16502530000' }
 * normalizePhoneFast('650 253 0000 x12', us, rules); // { ok: true, value: '+16502530000' }
 * normalizePhoneFast('650 253 0000 #12', us, rules); // undefined: the library decides
 * ```
 */
export function normalizePhoneFast(
  raw: string,
  defaultPlan: PlanRules,
  rules: PhoneRules,
): Normalized | undefined {
  let end = raw.length;
  if (end > MAX_INPUT_LENGTH) return undefined;
  let begin = 0;
  while (begin < end && raw.charCodeAt(begin) === 32) begin++;
  while (end > begin && raw.charCodeAt(end - 1) === 32) end--;
  if (begin === end) return phoneRejection.empty();

  let digits = '';
  let runStart = -1;
  let extension = false;
  const plus = raw.charCodeAt(begin) === 43;
  let i = plus ? begin + 1 : begin;
  for (; i < end; i++) {
    const code = raw.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0) {
      digits += raw.slice(runStart, i);
      runStart = -1;
    }
    // space ( ) - .
    if (code === 32 || code === 40 || code === 41 || code === 45 || code === 46) continue;
    // x X e E: maybe an extension, which the library drops
    if ((code | 32) === 120 || (code | 32) === 101) {
      extension = EXTENSION.test(raw.slice(i, end));
      if (extension) break;
    }
    return undefined;
  }
  if (runStart >= 0) digits += raw.slice(runStart, i);
  // isViablePhoneNumber: two bare digits, or three digits or more (then an extension).
  const bareTwoDigits = !plus && !extension && digits.length === 2 && end - begin === 2;
  if (digits.length < 3 && !bareTwoDigits) return undefined;

  return parseDigits(plus, digits, defaultPlan, rules);
}

// parse.js › parsePhoneNumber, once the text is reduced to an optional '+' and digits.
function parseDigits(plus: boolean, digits: string, defaultPlan: PlanRules, rules: PhoneRules): Normalized {
  const defaultCountry = defaultPlan.country as string;
  let group: CallingCodeRules | undefined;
  let number: string;
  let country: PlanRules | undefined;

  // extractCountryCallingCode
  const international = plus ? digits : stripIddPrefix(digits, defaultPlan);
  if (international !== undefined) {
    if (international.charCodeAt(0) === 48) return phoneRejection.unknownCallingCode(defaultCountry);
    const split = splitCallingCode(international, rules);
    if (split === undefined) return phoneRejection.unknownCallingCode(defaultCountry);
    group = split.group;
    number = split.number;
  } else {
    const shorter = callingCodeWithoutPlus(digits, defaultPlan);
    if (shorter !== undefined) {
      group = defaultPlan.group;
      number = shorter;
    } else {
      group = defaultPlan.group;
      country = defaultPlan;
      number = digits;
    }
  }
  if (number === '') return phoneRejection.tooShort();

  const nationalNumber = extractNationalNumber(number, country ?? group.main);
  const exact = countryByCallingCode(group, nationalNumber);
  country = exact ?? country;
  if (nationalNumber.length < MIN_NATIONAL_LENGTH) return phoneRejection.tooShort();
  if (nationalNumber.length > MAX_NATIONAL_LENGTH) return phoneRejection.tooLong();

  const plan = country ?? group.main;
  if (chosenByType(group, exact) || isValidNumber(nationalNumber, plan)) {
    return { ok: true, value: `+${group.callingCode}${nationalNumber}` };
  }
  const check = checkNumberLength(nationalNumber, plan.possibleLengths);
  const problem: InvalidProblem = check === 'IS_POSSIBLE' ? 'NOT_VALID' : check;
  return phoneRejection.invalid(problem, {
    country: country?.country,
    callingCode: group.callingCode,
    defaultCountry,
  });
}

// stripIddPrefix, as extractCountryCallingCode uses it: the digits after the default
// country's international prefix ("011", "00"), or undefined when there is none, nothing
// follows it, or a '0' follows it (no calling code starts with 0, so it was not one).
function stripIddPrefix(digits: string, plan: PlanRules): string | undefined {
  if (plan.iddPrefix === undefined) return undefined;
  const match = plan.iddPrefix.exec(digits);
  if (match === null || match[0] === '') return undefined;
  const rest = digits.slice(match[0].length);
  return rest === '' || rest.charCodeAt(0) === 48 ? undefined : rest;
}

// extractCountryCallingCode, the loop over one to three leading digits.
function splitCallingCode(
  international: string,
  rules: PhoneRules,
): { group: CallingCodeRules; number: string } | undefined {
  const longest = Math.min(MAX_CALLING_CODE_LENGTH, international.length);
  for (let length = 1; length <= longest; length++) {
    const group = rules.callingCode(international.slice(0, length));
    if (group !== undefined) return { group, number: international.slice(length) };
  }
  return undefined;
}

// extractCountryCallingCodeFromInternationalNumberWithoutPlusSign: "1 650 253 0000" in the US.
function callingCodeWithoutPlus(digits: string, plan: PlanRules): string | undefined {
  if (!digits.startsWith(plan.callingCode)) return undefined;
  const shorter = digits.slice(plan.callingCode.length);
  const shorterNational = extractNationalNumber(shorter, plan);
  const national = extractNationalNumber(digits, plan);
  if (
    (!plan.nationalNumber.test(national) && plan.nationalNumber.test(shorterNational)) ||
    checkNumberLength(national, plan.possibleLengths) === 'TOO_LONG'
  ) {
    return shorter;
  }
  return undefined;
}

// extractNationalNumber: drops the national (trunk) prefix unless that makes it worse.
function extractNationalNumber(number: string, plan: PlanRules): string {
  const national = stripNationalPrefix(number, plan);
  if (national === number) return number;
  if (plan.nationalNumber.test(number) && !plan.nationalNumber.test(national)) return number;
  if (plan.possibleLengths !== undefined) {
    const country = countryByCallingCode(plan.group, national);
    const lengths = country === undefined ? plan.possibleLengths : country.possibleLengths;
    const check = checkNumberLength(national, lengths);
    if (check === 'TOO_SHORT' || check === 'INVALID_LENGTH') return number;
  }
  return national;
}

// extractNationalNumberFromPossiblyIncompleteNumber
function stripNationalPrefix(number: string, plan: PlanRules): string {
  const prefix = plan.nationalPrefixForParsing;
  if (number === '' || prefix === undefined) return number;
  const match = prefix.exec(number);
  if (match === null) return number;
  const lastGroup = match.length - 1;
  const captured = lastGroup > 0 && Boolean(match[lastGroup]);
  if (plan.nationalPrefixTransformRule !== undefined && captured) {
    return number.replace(prefix, plan.nationalPrefixTransformRule);
  }
  return number.slice(match[0].length);
}

// getCountryByCallingCode + getCountryByNationalNumber
function countryByCallingCode(group: CallingCodeRules, nationalNumber: string): PlanRules | undefined {
  const countries = group.countries;
  if (countries === undefined) return undefined;
  if (countries.length === 1) return countries[0];
  for (const country of countries) {
    if (country.leadingDigits !== undefined) {
      if (nationalNumber !== '' && country.leadingDigits.test(nationalNumber)) return country;
    } else if (matchesSomeType(nationalNumber, country)) {
      return country;
    }
  }
  return undefined;
}

// When several countries share the calling code, one without leading digits is only chosen
// because a type of it matched, which is exactly what isValid would check again.
function chosenByType(group: CallingCodeRules, exact: PlanRules | undefined): boolean {
  return exact !== undefined && exact.leadingDigits === undefined && (group.countries?.length ?? 0) > 1;
}

// isValid: a type must match where the plan has types, else the national number pattern.
function isValidNumber(nationalNumber: string, plan: PlanRules): boolean {
  return plan.types === undefined
    ? plan.nationalNumber.test(nationalNumber)
    : matchesSomeType(nationalNumber, plan);
}

// getNumberType(...) !== undefined
function matchesSomeType(nationalNumber: string, plan: PlanRules): boolean {
  if (plan.types === undefined || !plan.nationalNumber.test(nationalNumber)) return false;
  for (const type of plan.types) {
    if (type.possibleLengths !== undefined && !type.possibleLengths.includes(nationalNumber.length)) {
      continue;
    }
    if (type.pattern.test(nationalNumber)) return true;
  }
  return false;
}

// checkNumberLength
function checkNumberLength(nationalNumber: string, lengths: readonly number[] | undefined): LengthCheck {
  if (lengths === undefined) return 'IS_POSSIBLE';
  const length = nationalNumber.length;
  const shortest = lengths[0];
  const longest = lengths[lengths.length - 1];
  if (shortest === undefined || longest === undefined) return 'INVALID_LENGTH';
  if (shortest === length) return 'IS_POSSIBLE';
  if (shortest > length) return 'TOO_SHORT';
  if (longest < length) return 'TOO_LONG';
  return lengths.indexOf(length, 1) >= 0 ? 'IS_POSSIBLE' : 'INVALID_LENGTH';
}
