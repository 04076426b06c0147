/**
 * USPS Publication 28 §233 "Directionals" (https://pe.usps.com/text/pub28/28c2_014.htm):
 * the eight English directionals and their standard abbreviations, lower-case, with the
 * two-word spellings ("north east") written as one key after the words are joined.
 *
 * @example
 * ```ts
 * DIRECTIONALS.get('north');     // 'n'
 * DIRECTIONALS.get('southwest'); // 'sw'
 * DIRECTIONALS.get('ne');        // 'ne'
 * ```
 */
export const DIRECTIONALS: ReadonlyMap<string, string> = new Map([
  ['north', 'n'], ['east', 'e'], ['south', 's'], ['west', 'w'],
  ['northeast', 'ne'], ['southeast', 'se'], ['northwest', 'nw'], ['southwest', 'sw'],
  ['n', 'n'], ['e', 'e'], ['s', 's'], ['w', 'w'],
  ['ne', 'ne'], ['se', 'se'], ['nw', 'nw'], ['sw', 'sw'],
]);
