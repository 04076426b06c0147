import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';
import { keepLetters } from './keep-letters.js';

/** Options of {@link normalizeState}. */
export interface NormalizeStateOptions {
  /**
   * Country the data comes from. For US and CA data an unknown state is invalid; for any
   * other country the state is kept as its lower-case letters (Meta's rule for states
   * outside the US), since we hold no region table for it. Default 'US'.
   */
  defaultCountry?: string;
}

/** US states, DC, territories and military "states"; Canadian provinces and territories. */
const REGIONS: readonly (readonly [code: string, names: string])[] = [
  ['AL', 'Alabama'], ['AK', 'Alaska'], ['AZ', 'Arizona'], ['AR', 'Arkansas'], ['CA', 'California'],
  ['CO', 'Colorado'], ['CT', 'Connecticut'], ['DE', 'Delaware'], ['FL', 'Florida'], ['GA', 'Georgia'],
  ['HI', 'Hawaii'], ['ID', 'Idaho'], ['IL', 'Illinois'], ['IN', 'Indiana'], ['IA', 'Iowa'],
  ['KS', 'Kansas'], ['KY', 'Kentucky'], ['LA', 'Louisiana'], ['ME', 'Maine'], ['MD', 'Maryland'],
  ['MA', 'Massachusetts'], ['MI', 'Michigan'], ['MN', 'Minnesota'], ['MS', 'Mississippi'],
  ['MO', 'Missouri'], ['MT', 'Montana'], ['NE', 'Nebraska'], ['NV', 'Nevada'], ['NH', 'New Hampshire'],
  ['NJ', 'New Jersey'], ['NM', 'New Mexico'], ['NY', 'New York|New York State'],
  ['NC', 'North Carolina'], ['ND', 'North Dakota'], ['OH', 'Ohio'], ['OK', 'Oklahoma'],
  ['OR', 'Oregon'], ['PA', 'Pennsylvania'], ['RI', 'Rhode Island'], ['SC', 'South Carolina'],
  ['SD', 'South Dakota'], ['TN', 'Tennessee'], ['TX', 'Texas'], ['UT', 'Utah'], ['VT', 'Vermont'],
  ['VA', 'Virginia'], ['WA', 'Washington|Washington State'], ['WV', 'West Virginia'],
  ['WI', 'Wisconsin'], ['WY', 'Wyoming'],
  ['DC', 'District of Columbia|Washington DC|Washington D.C.'],
  ['AS', 'American Samoa'], ['GU', 'Guam'], ['MP', 'Northern Mariana Islands|Northern Marianas'],
  ['PR', 'Puerto Rico'], ['VI', 'U.S. Virgin Islands|US Virgin Islands|Virgin Islands'],
  ['UM', 'U.S. Minor Outlying Islands|United States Minor Outlying Islands'],
  ['AA', 'Armed Forces Americas'], ['AE', 'Armed Forces Europe'], ['AP', 'Armed Forces Pacific'],
  ['AB', 'Alberta'], ['BC', 'British Columbia|Colombie-Britannique'], ['MB', 'Manitoba'],
  ['NB', 'New Brunswick|Nouveau-Brunswick'],
  ['NL', 'Newfoundland and Labrador|Newfoundland|Terre-Neuve-et-Labrador'],
  ['NS', 'Nova Scotia|Nouvelle-Écosse'], ['NT', 'Northwest Territories|Territoires du Nord-Ouest'],
  ['NU', 'Nunavut'], ['ON', 'Ontario'], ['PE', 'Prince Edward Island|PEI|Île-du-Prince-Édouard'],
  ['QC', 'Quebec|Québec'], ['SK', 'Saskatchewan'], ['YT', 'Yukon|Yukon Territory'],
];
/** Former postal abbreviations still found in old records. */
const FORMER_CODES: Readonly<Record<string, string>> = { pq: 'QC', nf: 'NL', yk: 'YT' };

const BY_KEY: ReadonlyMap<string, string> = buildIndex();

function buildIndex(): Map<string, string> {
  const index = new Map<string, string>();
  for (const [code, names] of REGIONS) {
    index.set(code.toLowerCase(), code);
    for (const name of names.split('|')) index.set(lookupKey(name), code);
  }
  for (const [former, code] of Object.entries(FORMER_CODES)) index.set(former, code);
  return index;
}

function lookupKey(text: string): string {
  return keepLetters(text.toLowerCase(), { foldAccents: true });
}

/**
 * Normalise a US state (with DC, territories, military codes) or Canadian province or
 * territory, written as its code or full name in any case, with or without accents and
 * punctuation, to its upper-case 2-letter postal code.
 *
 * @example
 * ```ts
 * normalizeState(' california ');     // { ok: true, value: 'CA' }
 * normalizeState('Québec');           // { ok: true, value: 'QC' }
 * normalizeState('D.C.');             // { ok: true, value: 'DC' }
 * normalizeState('Bayern', { defaultCountry: 'DE' }); // { ok: true, value: 'bayern' }
 * ```
 */
export function normalizeState(raw: string, options: NormalizeStateOptions = {}): Normalized {
  const { defaultCountry = 'US' } = options;
  const text = cleanText(raw);
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  const key = lookupKey(text);
  const code = BY_KEY.get(key);
  if (code !== undefined) return { ok: true, value: code };
  const country = defaultCountry.toUpperCase();
  if (country === 'US' || country === 'CA') {
    return { ok: false, reason: 'not a US state or Canadian province: unknown name or code' };
  }
  if (key.length === 0) return { ok: false, reason: 'not a state or region: no letters' };
  return { ok: true, value: key };
}
