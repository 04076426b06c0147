import { sampleDiscreteLaplace } from '../dp/discrete-laplace.js';
import { seededRandomSource } from '../dp/random-source.js';
import { toRational } from '../dp/rational.js';
import type { PopulationSketch } from './population-sketch.js';

/**
 * The noisy threshold's draw for one row: discrete Laplace of `scale`, seeded by an HMAC of the
 * row's people (their count and fingerprint) under the room's secret salt. The same people
 * always draw the same noise — asking again, under other parameters or after re-uploading the
 * same data, does not average it away — and people one apart draw independently.
 *
 * @example
 * ```ts
 * await thresholdNoise('0123…', sketch, 2); // e.g. -1
 * ```
 */
export async function thresholdNoise(salt: string, sketch: PopulationSketch, scale: number): Promise<number> {
  const bytes = new Uint8Array(salt.match(/../g)!.map((h) => parseInt(h, 16)));
  const key = await crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new DataView(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`noisy-threshold:${sketch.people}:${sketch.fingerprint}`)));
  // xoshiro seeded from 32 bits of the HMAC: the draw's secrecy is the HMAC's, not the generator's.
  return Number(sampleDiscreteLaplace(toRational(scale), seededRandomSource(mac.getUint32(0))));
}

/**
 * Whether a row of `people` clears the noisy threshold with its draw: only in the band of
 * `3·scale` around the minimum does the draw decide (`people + noise` reaches the minimum);
 * under it (the hard floor, `minPeople − 3·scale`) a row is never released, from
 * `minPeople + 3·scale` up always, so ordinary results well above the minimum never flicker.
 *
 * @example
 * ```ts
 * clearsNoisyThreshold(99, 2, 100, 2); // true: 99 people may be released
 * clearsNoisyThreshold(93, 9, 100, 2); // false: under the floor of 94
 * clearsNoisyThreshold(106, -20, 100, 2); // true: at or above 106 the draw does not matter
 * ```
 */
export function clearsNoisyThreshold(people: number, noise: number, minPeople: number, scale: number): boolean {
  if (!Number.isFinite(people) || people < minPeople - 3 * scale) return false;
  return people >= minPeople + 3 * scale || people + noise >= minPeople;
}
