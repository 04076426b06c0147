import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';
import { ISO_COUNTRIES } from './iso-countries.js';
import { keepLetters } from './keep-letters.js';

/**
 * Names people write that are not an ISO short, common or official name. Keys are
 * compared after lower-casing, folding accents and dropping everything but letters.
 */
const ALIASES: readonly (readonly [alpha2: string, names: string])[] = [
  ['US', 'USA|U.S.|U.S.A.|America|United States of America|Estados Unidos|États-Unis|Vereinigte Staaten'],
  ['GB', 'UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|United Kingdom of Great Britain|Royaume-Uni|Vereinigtes Königreich'],
  ['NL', 'Holland|The Netherlands|Nederland|Pays-Bas|Niederlande'],
  ['DE', 'Deutschland|Allemagne|Alemania|Germania'],
  ['FR', 'Frankreich|Francia'],
  ['ES', 'España|Espagne|Spanien'],
  ['IT', 'Italia|Italie|Italien'],
  ['CH', 'Schweiz|Suisse|Svizzera'],
  ['AT', 'Österreich|Autriche'],
  ['BE', 'Belgique|België|Belgien'],
  ['MX', 'México'],
  ['BR', 'Brasil'],
  ['RU', 'Russia'],
  ['KR', 'Korea|Republic of Korea|S. Korea'],
  ['KP', 'North Korea'],
  ['VN', 'Vietnam'],
  ['CZ', 'Czech Republic'],
  ['TR', 'Turkey|Türkiye'],
  ['CI', 'Ivory Coast'],
  ['MK', 'Macedonia'],
  ['SZ', 'Swaziland'],
  ['MM', 'Burma'],
  ['CV', 'Cape Verde'],
  ['AE', 'UAE|U.A.E.|Emirates'],
  ['TL', 'East Timor'],
  ['VA', 'Vatican|Vatican City'],
  ['PS', 'Palestine'],
  ['TW', 'Taiwan|Republic of China'],
  ['CN', "China|People's Republic of China|PRC"],
  ['HK', 'Hong Kong'],
  ['MO', 'Macau|Macao'],
  ['LA', 'Laos'],
  ['SY', 'Syria'],
  ['IR', 'Iran'],
  ['MD', 'Moldova'],
  ['BO', 'Bolivia'],
  ['VE', 'Venezuela'],
  ['TZ', 'Tanzania'],
  ['CD', 'DR Congo|DRC|Congo-Kinshasa|Democratic Republic of Congo'],
  ['CG', 'Congo-Brazzaville|Republic of Congo'],
  ['FM', 'Micronesia'],
  ['BN', 'Brunei'],
  ['IE', 'Éire|Republic of Ireland'],
  ['XK', 'Kosovo|XKX'],
];

const LEADING_THE = /^the\s+/;
const BY_KEY: ReadonlyMap<string, string> = buildIndex();

function buildIndex(): Map<string, string> {
  const index = new Map<string, string>();
  for (const [alpha2, alpha3, names] of ISO_COUNTRIES) {
    index.set(alpha2.toLowerCase(), alpha2);
    index.set(alpha3.toLowerCase(), alpha2);
    for (const name of names.split('|')) index.set(lookupKey(name), alpha2);
  }
  // XK (Kosovo) is user-assigned, not ISO, but used by the EU, SWIFT and most data sets.
  index.set('xk', 'XK');
  for (const [alpha2, names] of ALIASES) {
    for (const name of names.split('|')) index.set(lookupKey(name), alpha2);
  }
  return index;
}

function lookupKey(text: string): string {
  return keepLetters(text.toLowerCase().replace(LEADING_THE, ''), { foldAccents: true });
}

/**
 * Normalise a country, given as an ISO 3166-1 alpha-2 or alpha-3 code or an English name
 * (short, common or official, and common aliases such as "USA", "UK", "Great Britain",
 * "Holland"), to its upper-case ISO 3166-1 alpha-2 code. Case, accents, punctuation,
 * spaces and a leading "the" do not matter.
 *
 * @example
 * ```ts
 * normalizeCountry('United States of America'); // { ok: true, value: 'US' }
 * normalizeCountry('gbr');                      // { ok: true, value: 'GB' }
 * normalizeCountry("Côte d'Ivoire");            // { ok: true, value: 'CI' }
 * normalizeCountry('Atlantis');                 // { ok: false, reason: 'not a country: unknown name or code' }
 * ```
 */
export function normalizeCountry(raw: string): Normalized {
  const text = cleanText(raw);
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  const code = BY_KEY.get(lookupKey(text));
  if (code !== undefined) return { ok: true, value: code };
  return { ok: false, reason: 'not a country: unknown name or code' };
}
