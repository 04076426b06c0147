import { generatePhoneSamples } from './phone-samples.js';
import type { PhoneSample } from './phone-samples.js';

/** How many adversarial and realistic cells the differential tests compare. */
export const DIFFERENTIAL_SIZE = { adversarial: 200_000, realistic: 50_000 } as const;

/**
 * The fixed, seeded cells of the differential tests: 200 000 adversarial ones (every
 * country, the edges of every rule) and 50 000 realistic ones.
 *
 * @example
 * ```ts
 * differentialSamples().length; // 250000
 * ```
 */
export function differentialSamples(): PhoneSample[] {
  return [
    ...generatePhoneSamples(DIFFERENTIAL_SIZE.adversarial, { seed: 20_240_601, mix: 'adversarial' }),
    ...generatePhoneSamples(DIFFERENTIAL_SIZE.realistic, { seed: 7, mix: 'realistic' }),
  ];
}
