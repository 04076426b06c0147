import type { Random } from './phone-random.js';
import { countryCell, group, nanpCell } from './phone-sample-cells.js';
import { fillDigits, samplePools } from './phone-sample-pools.js';
import type { CountryTemplate } from './phone-sample-pools.js';

/** The default countries the differential test reads every sample with. */
export const DIFFERENTIAL_COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'IN', 'BR', 'AU'] as const;

const NON_GEOGRAPHIC = ['800', '808', '870', '878', '881', '882', '883', '888', '979'];
const IDD_PREFIXES = ['00', '011', '0011', '001', '810', '8 10', '0', '000', '01'];
const EXTENSIONS = [' x123', ' ext. 5', ' ext 12', 'x7', ' #45', ';ext=9', ',,12', ' int 3', ' anexo 4', ' x', '-12#'];
const JUNK = [
  '', ' ', '\t', 'N/A', 'null', 'none', '-', '--', '()', '+', '++', '+1', '1', '0', '00', '12', '1 2',
  '(1)', '1-', '+1 2', ' 12 ', '+12', '+123', '+0', '+00 44 20', '000', 'abc', '1-800-FLOWERS',
  '+1 (800) GOT-JUNK', 'tel:+16502530000', 'tel:650-253-0000;phone-context=+1', '650 253 0000 (home)',
  'call 650 253 0000', '650+253+0000', '++1 650 253 0000', '+ 1 650 253 0000', '+-1 650 253 0000',
  '１６５０２５３００００', '٠٧٩١١٦٥٤٣٢١', '650\u00a0253\u00a00000', '\t650 253 0000\n', '650/253/0000',
  '[650] 253 0000', '650~253~0000', '650\u2013253\u20130000', '(650)\u200b253-0000', 'e\u0301 650',
  '0'.repeat(251), `+1 ${'6'.repeat(260)}`, '+1 650 253 0000 +1', '6502530000.', '.6502530000',
  '+1 650 253 0000 (0)', '+7 8 800 555 35 35', '8 (800) 555-35-35', '+55 0 21 11 91234 5678',
  '0 21 11 91234 5678', '0xx11 91234-5678', '+49 (0)30 123456', '0049 (0)30 123456', '+44 (0)20 7946 0018',
];

/**
 * One adversarial sample: every country, formats, the edges of each rule.
 *
 * @example
 * ```ts
 * adversarialSample(createRandom(3)); // e.g. { raw: '+1 (555) 021-7733', defaultCountry: 'CA' }
 * ```
 */
export function adversarialSample(random: Random): { raw: string; defaultCountry: string } {
  const pools = samplePools();
  const template = random.pick(pools.templates);
  const roll = random.next();
  let raw: string;
  if (roll < 0.2) raw = nanpEdge(random);
  else if (roll < 0.5) raw = countryEdge(random, template);
  else if (roll < 0.6) raw = digitNoise(random);
  else if (roll < 0.7) raw = prefixEdge(random, template);
  else if (roll < 0.8) raw = (random.next() < 0.5 ? nanpEdge(random) : countryEdge(random, template)) + random.pick(EXTENSIONS);
  else if (roll < 0.9) raw = random.pick(JUNK);
  else raw = shortNoise(random);
  return { raw, defaultCountry: defaultCountryFor(random, template) };
}

function defaultCountryFor(random: Random, template: CountryTemplate): string {
  const roll = random.next();
  if (roll < 0.6) return random.pick(DIFFERENTIAL_COUNTRIES);
  if (roll < 0.8) return template.country;
  if (roll < 0.99) return random.pick(samplePools().templates).country;
  return random.pick(['XX', 'us', '', 'USA', '001', 'constructor']);
}

function nanpEdge(random: Random): string {
  const pools = samplePools();
  const roll = random.next();
  let areaCode: string;
  if (roll < 0.3) areaCode = random.pick(pools.usAreaCodes);
  else if (roll < 0.45) areaCode = random.pick(pools.caAreaCodes);
  else if (roll < 0.6) areaCode = random.pick(pools.otherNanpAreaCodes);
  else if (roll < 0.7) areaCode = random.pick(['555', '800', '888', '900', '911', '411', '600', '310', '522']);
  else if (roll < 0.8) areaCode = `${random.int(2)}${random.digits(2)}`;
  else areaCode = random.digits(3);
  const exchange = random.next() < 0.2 ? random.pick(['555', '011', '123', '000', '911']) : undefined;
  const cell = nanpCell(random, areaCode, exchange);
  const prefixRoll = random.next();
  if (prefixRoll < 0.1) return `011 1 ${cell.replace(/^\+?1[- ]?/, '')}`;
  if (prefixRoll < 0.15) return `001 ${cell}`;
  if (prefixRoll < 0.2) return `1 ${cell}`;
  if (prefixRoll < 0.25) return cell.slice(0, -1 - random.int(3));
  if (prefixRoll < 0.3) return cell + random.digits(1 + random.int(3));
  if (prefixRoll < 0.35) return `${random.digits(3)}-${random.digits(4)}`;
  return cell;
}

function countryEdge(random: Random, template: CountryTemplate): string {
  const style = random.next() < 0.5 ? 'national' : 'international';
  const idd = random.pick(IDD_PREFIXES);
  const roll = random.next();
  if (roll < 0.5) return countryCell(random, template, style, idd);
  // A local number without its area code: some plans add it back (AG: 464 1234 is 268 464 1234).
  if (roll < 0.6) {
    const example = template.example;
    const local = example.slice(0, 4) + random.digits(Math.max(0, example.length - 4));
    return group(random, local.slice(1 + random.int(3)));
  }
  const length = Math.max(1, template.example.length - 3 + random.int(7));
  const number = random.next() < 0.5 ? random.digits(length) : template.example.slice(0, 2) + random.digits(length);
  if (number.length === template.example.length) return countryCell(random, template, style, idd, number);
  return style === 'national' ? `0${group(random, number)}` : `+${template.callingCode} ${group(random, number)}`;
}

function prefixEdge(random: Random, template: CountryTemplate): string {
  const national = fillDigits(template.national, template.example.slice(0, 3) + random.digits(template.example.length - 3));
  const compact = national.replace(/\D/g, '');
  const code = template.callingCode;
  switch (random.int(10)) {
    case 8:
      return `${random.pick(['+', '00', '011 '])}${random.pick(NON_GEOGRAPHIC)} ${group(random, random.digits(6 + random.int(7)))}`;
    case 9:
      // A trunk prefix then a carrier code (BR, CO): 0 21 11 91234 5678.
      return `0${random.digits(2)} ${national}`;
    case 0:
      return `+${code} ${national}`;
    case 1:
      return `00${code}${compact}`;
    case 2:
      return `${random.pick(IDD_PREFIXES)} ${code} ${national}`;
    case 3:
      return `0${compact}`;
    case 4:
      return `${code}${compact}`;
    case 5:
      return `+${code}0${compact}`;
    case 6:
      return `${'0'.repeat(1 + random.int(4))}${random.digits(6 + random.int(8))}`;
    default:
      return `+${random.digits(1 + random.int(3))} ${random.digits(4 + random.int(12))}`;
  }
}

function digitNoise(random: Random): string {
  const length = 1 + random.int(21);
  let out = random.next() < 0.3 ? '+' : '';
  for (let i = 0; i < length; i++) {
    if (random.next() < 0.25) out += random.pick([' ', '(', ')', '-', '.', '  ', ' - ']);
    out += String(random.int(10));
  }
  return random.next() < 0.1 ? ` ${out} ` : out;
}

function shortNoise(random: Random): string {
  const length = 1 + random.int(4);
  let out = random.pick(['', '', '+', ' ', '(', '+ ']);
  for (let i = 0; i < length; i++) out += random.pick(['', '', ' ', '-', '(', ')', '.']) + String(random.int(10));
  return out + random.pick(['', '', ' ', ')', '-', '.']);
}
