const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const UNIT_ORDINALS = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const TEN_ORDINALS = ['', '', 'twentieth', 'thirtieth', 'fortieth', 'fiftieth', 'sixtieth', 'seventieth', 'eightieth', 'ninetieth'];

const CARDINAL = new Map<string, number>([...UNITS.map((w, i) => [w, i] as const), ...TENS.flatMap((w, i) => (w ? [[w, i * 10] as const] : []))]);
const ORDINAL = new Map<string, number>([...UNIT_ORDINALS.map((w, i) => [w, i] as const), ...TEN_ORDINALS.flatMap((w, i) => (w ? [[w, i * 10] as const] : []))]);
const NUMERIC_ORDINAL = /^(\d+)(?:st|nd|rd|th|d)$/;

/**
 * The ordinal suffix English writes after a number: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.
 *
 * @example
 * ```ts
 * withOrdinalSuffix(23); // '23rd'
 * withOrdinalSuffix(112); // '112th'
 * ```
 */
export function withOrdinalSuffix(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/**
 * Read a spelled-out ordinal (1 to 999) at `start` in a list of lower-case words, so that
 * a numbered street is always written as a numeral (Pub. 28 keeps the ZIP+4 file's
 * spelling, which we do not have; the numeral matches both spellings): "first" → 1st,
 * "twenty third" → 23rd, "one hundred twelfth" → 112th. Returns the numeral and how many words it took, or
 * undefined when the words there are not an ordinal ("twenty" alone is a cardinal).
 * A numeric ordinal is written with its right suffix ("23d" and "23th" give 23rd).
 *
 * @example
 * ```ts
 * readOrdinal(['twenty', 'third', 'ave'], 0); // { text: '23rd', length: 2 }
 * readOrdinal(['2d', 'st'], 0);               // { text: '2nd', length: 1 }
 * readOrdinal(['main', 'st'], 0);             // undefined
 * ```
 */
export function readOrdinal(words: readonly string[], start: number): { text: string; length: number } | undefined {
  const first = words[start];
  if (first === undefined) return undefined;
  const numeric = NUMERIC_ORDINAL.exec(first);
  if (numeric?.[1] !== undefined) return { text: withOrdinalSuffix(Number(numeric[1])), length: 1 };

  let i = start;
  let total = 0;
  const hundreds = CARDINAL.get(words[i] ?? '');
  if (hundreds !== undefined && hundreds >= 1 && hundreds <= 9 && (words[i + 1] === 'hundred' || words[i + 1] === 'hundredth')) {
    total = hundreds * 100;
    if (words[i + 1] === 'hundredth') return { text: withOrdinalSuffix(total), length: 2 };
    i += 2;
    if (words[i] === 'and') i++;
  }
  const ordinal = ORDINAL.get(words[i] ?? '');
  if (ordinal !== undefined) return { text: withOrdinalSuffix(total + ordinal), length: i - start + 1 };
  const tens = CARDINAL.get(words[i] ?? '');
  if (tens !== undefined && tens >= 20 && tens % 10 === 0) {
    const unit = ORDINAL.get(words[i + 1] ?? '');
    if (unit !== undefined && unit >= 1 && unit <= 9) return { text: withOrdinalSuffix(total + tens + unit), length: i - start + 2 };
  }
  return undefined;
}
