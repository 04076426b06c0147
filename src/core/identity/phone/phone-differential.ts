import type { NormalizeOptions, Normalized } from '../identifier-kind.js';
import type { PhoneSample } from './phone-samples.js';

type Normalize = (raw: string, options: NormalizeOptions) => Normalized;

/** One input on which two phone normalisers disagree. */
export interface Disagreement {
  raw: string;
  defaultCountry: string;
  actual: Normalized;
  expected: Normalized;
}

/** The two normalisers to compare and the default countries to compare them with. */
export interface DifferentialOptions {
  actual: Normalize;
  expected: Normalize;
  countries: readonly string[];
  /** Also compare with each sample's own default country. Default false. */
  ownCountry?: boolean;
  /** How many disagreements to list. Default 20. */
  keep?: number;
}

/** What a differential run compared and where the two sides differed. */
export interface DifferentialReport {
  compared: number;
  disagreements: Disagreement[];
  /** All disagreements, of which only the first `keep` are listed. */
  disagreementCount: number;
}

/**
 * Runs `actual` and `expected` on every sample, with each of `countries` (and the sample's
 * own default country when `ownCountry`), and lists where they differ.
 *
 * @example
 * ```ts
 * const report = comparePhoneNormalizers(samples, {
 *   actual: normalizePhone,
 *   expected: normalizePhoneWithLibrary,
 *   countries: ['US', 'GB'],
 * });
 * report.disagreementCount; // 0
 * ```
 */
export function comparePhoneNormalizers(
  samples: readonly PhoneSample[],
  options: DifferentialOptions,
): DifferentialReport {
  const { actual, expected, countries, ownCountry = false, keep = 20 } = options;
  const report: DifferentialReport = { compared: 0, disagreements: [], disagreementCount: 0 };
  const check = (raw: string, defaultCountry: string): void => {
    const settings = { defaultCountry };
    const got = actual(raw, settings);
    const want = expected(raw, settings);
    report.compared++;
    const same = got.ok ? want.ok && got.value === want.value : !want.ok && got.reason === want.reason;
    if (same) return;
    report.disagreementCount++;
    if (report.disagreements.length < keep) report.disagreements.push({ raw, defaultCountry, actual: got, expected: want });
  };
  for (const sample of samples) {
    if (ownCountry) check(sample.raw, sample.defaultCountry);
    for (const country of countries) check(sample.raw, country);
  }
  return report;
}
