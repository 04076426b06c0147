import { adversarialSample } from './phone-edge-samples.js';
import { createRandom } from './phone-random.js';
import type { Random } from './phone-random.js';
import { countryCell, nanpCell } from './phone-sample-cells.js';
import { samplePools } from './phone-sample-pools.js';
import type { CountryTemplate } from './phone-sample-pools.js';

/** One generated cell and the default country its file would be read with. */
export interface PhoneSample {
  raw: string;
  defaultCountry: string;
}

/**
 * 'realistic': a US-heavy customer file (most rows NANP numbers in the usual formats, a
 * quarter from GB/DE/FR/IN/BR/MX/AU/…, a few repeats, blanks and junk).
 * 'adversarial': every country, every format and the edges: wrong lengths, leading zeros,
 * invalid and Caribbean area codes, trunk and international prefixes, extensions, Unicode.
 */
export type PhoneSampleMix = 'realistic' | 'adversarial';

/** How {@link generatePhoneSamples} draws its samples. */
export interface PhoneSampleOptions {
  /** Same seed, same samples. Default 1. */
  seed?: number;
  mix?: PhoneSampleMix;
}

/**
 * Generates phone cells in many national and international formats.
 *
 * @example
 * ```ts
 * const samples = generatePhoneSamples(1000, { seed: 42, mix: 'realistic' });
 * samples[0]; // e.g. { raw: '(415) 823-0917', defaultCountry: 'US' }
 * ```
 */
export function generatePhoneSamples(count: number, options: PhoneSampleOptions = {}): PhoneSample[] {
  const { seed = 1, mix = 'realistic' } = options;
  const random = createRandom(seed);
  const samples: PhoneSample[] = [];
  const draw = mix === 'realistic' ? realisticSample : adversarialSample;
  for (let i = 0; i < count; i++) {
    const repeat = samples.length > 0 && random.next() < 0.05;
    samples.push(repeat ? (samples[random.int(samples.length)] as PhoneSample) : draw(random));
  }
  return samples;
}

const OTHER_COUNTRIES = ['GB', 'DE', 'FR', 'IN', 'BR', 'MX', 'AU', 'ES', 'IT', 'NL', 'JP', 'CN', 'PH', 'ZA'];

function realisticSample(random: Random): PhoneSample {
  const roll = random.next();
  const pools = samplePools();
  if (roll < 0.62) return { raw: nanpCell(random, random.pick(pools.usAreaCodes)), defaultCountry: 'US' };
  if (roll < 0.68) return { raw: nanpCell(random, random.pick(pools.caAreaCodes)), defaultCountry: 'CA' };
  if (roll < 0.7) return { raw: nanpCell(random, random.pick(pools.otherNanpAreaCodes)), defaultCountry: 'US' };
  if (roll < 0.95) {
    const template = pools.byCountry.get(random.pick(OTHER_COUNTRIES)) as CountryTemplate;
    const national = random.next() < 0.5;
    const raw = countryCell(random, template, national ? 'national' : 'international', '011');
    return { raw, defaultCountry: national ? template.country : 'US' };
  }
  return { raw: random.pick(REALISTIC_JUNK)(random), defaultCountry: 'US' };
}

const REALISTIC_JUNK: readonly ((random: Random) => string)[] = [
  () => '',
  () => '',
  () => 'N/A',
  () => '0000000000',
  (random) => `${random.digits(3)}-${random.digits(4)}`,
  (random) => `${nanpCell(random, random.pick(samplePools().usAreaCodes))} x${random.digits(3)}`,
  (random) => `${nanpCell(random, random.pick(samplePools().usAreaCodes))} ext. ${random.digits(2)}`,
  (random) => `(555) ${random.digits(3)}-${random.digits(4)}`,
  () => '1-800-FLOWERS',
];

