import { fillDigits } from './phone-sample-pools.js';
import type { CountryTemplate } from './phone-sample-pools.js';
import type { Random } from './phone-random.js';

const NANP_FORMATS: readonly ((npa: string, nxx: string, line: string) => string)[] = [
  (a, b, c) => `(${a}) ${b}-${c}`,
  (a, b, c) => `(${a}) ${b}-${c}`,
  (a, b, c) => `${a}-${b}-${c}`,
  (a, b, c) => `${a}.${b}.${c}`,
  (a, b, c) => `${a} ${b} ${c}`,
  (a, b, c) => `${a}${b}${c}`,
  (a, b, c) => `${a}${b}${c}`,
  (a, b, c) => `1-${a}-${b}-${c}`,
  (a, b, c) => `1 (${a}) ${b}-${c}`,
  (a, b, c) => `1${a}${b}${c}`,
  (a, b, c) => `+1 ${a} ${b} ${c}`,
  (a, b, c) => `+1 (${a}) ${b}-${c}`,
  (a, b, c) => `+1-${a}-${b}-${c}`,
  (a, b, c) => `+1${a}${b}${c}`,
  (a, b, c) => `+1.${a}.${b}.${c}`,
  (a, b, c) => ` ${a}-${b}-${c} `,
];

/**
 * A NANP number in one of the usual formats, with a random exchange and line.
 *
 * @example
 * ```ts
 * nanpCell(createRandom(1), '650'); // e.g. '1 (650) 382-0193'
 * ```
 */
export function nanpCell(random: Random, areaCode: string, exchange?: string): string {
  const nxx = exchange ?? `${2 + random.int(8)}${random.digits(2)}`;
  return random.pick(NANP_FORMATS)(areaCode, nxx, random.digits(4));
}

/** How a country's number is written: as at home, or from abroad. */
export type CellStyle = 'national' | 'international';

/**
 * A number of `template`'s country: its example's first digits, then random ones, written
 * the way the library formats it or in a looser way people type.
 *
 * @example
 * ```ts
 * countryCell(createRandom(1), samplePools().byCountry.get('GB')!, 'national', '011');
 * // e.g. '07911 654321' or '07911-654-321'
 * ```
 */
export function countryCell(
  random: Random,
  template: CountryTemplate,
  style: CellStyle,
  iddPrefix: string,
  nationalNumber?: string,
): string {
  const kept = Math.max(1, Math.min(3, template.example.length - 4));
  const number = nationalNumber ?? template.example.slice(0, kept) + random.digits(template.example.length - kept);
  const national = fillDigits(template.national, number);
  const trunk = national.replace(/\D/g, '').slice(0, -number.length || undefined);
  if (style === 'national') {
    const roll = random.next();
    if (roll < 0.6) return national;
    if (roll < 0.8) return trunk + number;
    return trunk + group(random, number);
  }
  const roll = random.next();
  const code = template.callingCode;
  if (roll < 0.45) return fillDigits(template.international, number);
  if (roll < 0.6) return `+${code}${number}`;
  if (roll < 0.7) return `${iddPrefix} ${code} ${group(random, number)}`;
  if (roll < 0.8 && trunk !== '') return `+${code} (${trunk}) ${group(random, number)}`;
  if (roll < 0.9) return `+${code} ${group(random, number)}`;
  return `${code} ${group(random, number)}`;
}

/**
 * Splits digits into groups of two to four, joined by one separator.
 *
 * @example
 * ```ts
 * group(createRandom(1), '7911654321'); // e.g. '791-165-4321'
 * ```
 */
export function group(random: Random, digits: string): string {
  const separator = random.pick([' ', ' ', '-', '.']);
  const parts: string[] = [];
  for (let i = 0; i < digits.length; ) {
    const size = 2 + random.int(3);
    parts.push(digits.slice(i, i + size));
    i += size;
  }
  return parts.join(separator);
}
