import type { Normalized } from '../identifier-kind.js';

/**
 * The rejection reasons of phone normalisation, shared by the fast path and the
 * library-only path so that both return the very same text.
 *
 * A reason never repeats the raw value: rejected values are personal data and reasons end
 * up in logs and reports.
 *
 * @example
 * ```ts
 * phoneRejection.empty(); // { ok: false, reason: 'phone is empty' }
 * ```
 */
export const phoneRejection = {
  empty: (): Normalized => reject('phone is empty'),

  unknownDefaultCountry: (country: string): Normalized =>
    reject(
      `cannot read phones with default country ${JSON.stringify(country)}: ` +
        'expected an upper-case ISO 3166-1 alpha-2 code libphonenumber-js knows, such as "US"',
    ),

  letters: (): Normalized =>
    reject('phone contains letters: vanity numbers such as 1-800-FLOWERS are not converted'),

  phoneContext: (): Normalized =>
    reject('phone is an RFC 3966 URI with a phone-context, which is not read: write the number itself'),

  notANumber: (): Normalized => reject('phone is not a phone number: expected digits and punctuation'),

  unknownCallingCode: (defaultCountry: string): Normalized =>
    reject(`phone has an unknown international calling code (default country ${defaultCountry})`),

  /** Fewer than two digits, or no digits after the calling code. */
  tooShort: (): Normalized => reject('phone is too short to be a phone number'),

  /** More than 17 digits in the national number, or more than 250 characters. */
  tooLong: (): Normalized => reject('phone is too long to be a phone number'),

  /** The number does not fit the plan it was read with; `where` names that plan. */
  invalid: (problem: InvalidProblem, where: PlanDescription): Normalized =>
    reject(`phone ${PROBLEM_TEXT[problem]} ${describe(where)}`),
} as const;

/** Why a parsed number is not valid, from the library's length check. */
export type InvalidProblem = 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH' | 'NOT_VALID';

/** The plan a parsed number was checked against, and the default country it was read with. */
export interface PlanDescription {
  readonly country: string | undefined;
  readonly callingCode: string;
  readonly defaultCountry: string;
}

const PROBLEM_TEXT: Readonly<Record<InvalidProblem, string>> = {
  TOO_SHORT: 'is too short for',
  TOO_LONG: 'is too long for',
  INVALID_LENGTH: 'has an impossible length for',
  NOT_VALID: 'is not a valid number for',
};

function describe({ country, callingCode, defaultCountry }: PlanDescription): string {
  const plan = country === undefined ? `calling code +${callingCode}` : `${country} (+${callingCode})`;
  return `${plan}, read with default country ${defaultCountry}`;
}

function reject(reason: string): Normalized {
  return { ok: false, reason };
}
