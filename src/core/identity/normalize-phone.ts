import metadata from 'libphonenumber-js/min/metadata';
import type { NormalizeOptions, Normalized } from './identifier-kind.js';
import { createBoundedCache } from './phone/bounded-cache.js';
import type { BoundedCache } from './phone/bounded-cache.js';
import { normalizePhoneFast } from './phone/fast-phone.js';
import { createLibraryPhoneNormalizer } from './phone/library-phone.js';
import type { PhoneNormalizeFunction } from './phone/library-phone.js';
import { phoneRejection } from './phone/phone-reasons.js';
import { createPhoneRules } from './phone/phone-rules.js';
import type { PlanRules } from './phone/phone-rules.js';

export type { PhoneNormalizeFunction } from './phone/library-phone.js';

// Validity is `isValid()` on libphonenumber-js's 'min' metadata (the fast path's rules are
// compiled from the same `metadata`, so this line is the one place to change it).
// - Valid, not merely possible: a number of the right length in no real range (area code
//   555, 0xx or 1xx in NANP) is garbage for matching, and placeholders such as
//   (555) 555-5555 would otherwise join unrelated people.
// - 'min' rather than 'max' or 'mobile', measured on 100 000 generated cells: parse +
//   isValid ran at the same speed with all three (about 93 000/s), so speed does not
//   decide. 'mobile' rejects landlines (5.6% of a US-heavy mix). 'max' also checks per-type
//   number ranges; it rejected another 1.2% (mostly Caribbean NANP numbers with random
//   exchanges) and accepted none that 'min' rejected. Range allocations change from one
//   library release to the next, so 'max' makes two parties on different versions
//   disagree more often, and it is twice the size (157 kB against 83 kB) in the browser.
//   In 'min', countries that share a calling code (US, CA, GB, AU, IT, ...) keep per-type
//   patterns, so US and Canadian area codes are still checked.

/**
 * Normalises a phone number with libphonenumber-js alone (NFC, trim, parse with the default
 * country, `isValid()` on the 'min' metadata). It is the reference `normalizePhone` is
 * tested against; use `normalizePhone`, which returns exactly the same, faster.
 *
 * @example
 * ```ts
 * normalizePhoneWithLibrary('020 7946 0018', { defaultCountry: 'GB' });
 * // { ok: true, value: '+442079460018' }
 * ```
 */
export const normalizePhoneWithLibrary: PhoneNormalizeFunction = createLibraryPhoneNormalizer(metadata);

/** Counters of one normaliser, for benchmarks and progress reports. */
export interface PhoneNormalizerStats {
  calls: number;
  /** Calls answered without libphonenumber-js. */
  fastPath: number;
  /** Fallbacks answered from the memo cache. */
  cacheHits: number;
  /** Fallbacks libphonenumber-js answered. */
  library: number;
}

/** A phone normaliser with its own memo and counters. */
export interface PhoneNormalizer {
  normalize: PhoneNormalizeFunction;
  stats(): PhoneNormalizerStats;
}

/** How {@link createPhoneNormalizer} builds a normaliser. */
export interface PhoneNormalizerOptions {
  /**
   * Most fallback answers remembered ("N/A", "1-800-FLOWERS", values with Unicode
   * digits...), all default countries together; 0 turns the memo off. Default 65 536.
   */
  cacheSize?: number;
  /** Off sends every value to libphonenumber-js (still memoised). Default on. */
  fastPath?: boolean;
}

/**
 * Builds a phone normaliser: the fast path for plain values, libphonenumber-js for the
 * rest, and a bounded memo for the values that fell back. Results equal
 * {@link normalizePhoneWithLibrary}'s for every input.
 *
 * @example
 * ```ts
 * const phones = createPhoneNormalizer({ cacheSize: 1024 });
 * phones.normalize('+1 650 253 0000', { defaultCountry: 'GB' }); // { ok: true, value: '+16502530000' }
 * phones.stats().fastPath; // 1
 * ```
 */
export function createPhoneNormalizer(options: PhoneNormalizerOptions = {}): PhoneNormalizer {
  const { cacheSize = 65_536, fastPath = true } = options;
  const rules = createPhoneRules(metadata);
  const memo: BoundedCache<Normalized> | undefined = cacheSize > 0 ? createBoundedCache(cacheSize) : undefined;
  const stats: PhoneNormalizerStats = { calls: 0, cacheHits: 0, fastPath: 0, library: 0 };

  // Files are read with one default country, so its plan is kept at hand.
  let lastCountry: string | undefined;
  let lastPlan: PlanRules | undefined;

  function normalize(raw: string, normalizeOptions: NormalizeOptions): Normalized {
    stats.calls++;
    const country = normalizeOptions.defaultCountry;
    if (country !== lastCountry) {
      lastPlan = rules.country(country);
      lastCountry = country;
    }
    if (lastPlan === undefined) {
      stats.fastPath++;
      return phoneRejection.unknownDefaultCountry(country);
    }
    if (fastPath) {
      const fast = normalizePhoneFast(raw, lastPlan, rules);
      if (fast !== undefined) {
        stats.fastPath++;
        return fast;
      }
    }
    // Only fallbacks are memoised: a fast-path answer costs about what a memo insert does.
    const key = `${country}\u0000${raw}`;
    const cached = memo?.get(key);
    if (cached !== undefined) {
      stats.cacheHits++;
      // A copy, so that a caller editing its result cannot change the next caller's.
      return cached.ok ? { ok: true, value: cached.value } : { ok: false, reason: cached.reason };
    }
    stats.library++;
    const result = normalizePhoneWithLibrary(raw, normalizeOptions);
    memo?.set(key, { ...result });
    return result;
  }

  return { normalize, stats: () => ({ ...stats }) };
}

const shared = createPhoneNormalizer();

/**
 * Normalises a phone number to E.164 ("+16505551212"), or says why it cannot.
 *
 * NFC and trim, then libphonenumber-js decides: a '+' or the default country's
 * international prefix ("00", "011") makes the number international, otherwise it is read
 * in `defaultCountry`'s national format (trunk prefixes such as GB's "0" are dropped).
 * Extensions ("x123", "ext. 5") are dropped; letters are rejected (vanity numbers are not
 * converted); the number must be valid (`isValid()`), not merely of a possible length.
 * Nothing here is Node-only, so the browser upload runs the same code.
 *
 * @example
 * ```ts
 * normalizePhone('(650) 555-1212', { defaultCountry: 'US' }); // { ok: true, value: '+16505551212' }
 * normalizePhone('+33 (0)1 23 45 67 89', { defaultCountry: 'US' }); // { ok: true, value: '+33123456789' }
 * normalizePhone('020 7946 0018', { defaultCountry: 'GB' }); // { ok: true, value: '+442079460018' }
 * ```
 */
export function normalizePhone(raw: string, options: NormalizeOptions): Normalized {
  return shared.normalize(raw, options);
}
