/**
 * Phone normalisation micro-benchmark: the libphonenumber-js-only path against the fast
 * path, with and without the memo of fallback answers, on generated cells.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/phone.bench.js [count]`
 *
 * @example
 * ```sh
 * node dist/bench/phone.bench.js 300000
 * ```
 */
import { createPhoneNormalizer, normalizePhoneWithLibrary } from '../src/core/identity/normalize-phone.js';
import type { PhoneNormalizeFunction } from '../src/core/identity/normalize-phone.js';
import { generatePhoneSamples } from '../src/core/identity/phone/phone-samples.js';
import type { PhoneSample, PhoneSampleMix } from '../src/core/identity/phone/phone-samples.js';

const ROUNDS = 5;

interface Measure {
  perSecond: number;
  valid: number;
}

/**
 * Best of `ROUNDS` passes over all samples, after one warm-up pass. `create` runs before
 * each pass, so a memo starts every pass empty, as on a fresh file.
 */
function measure(create: () => PhoneNormalizeFunction, samples: readonly PhoneSample[]): Measure {
  let best = Infinity;
  let valid = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    valid = 0;
    const normalize = create();
    const started = performance.now();
    for (const sample of samples) {
      if (normalize(sample.raw, sample).ok) valid++;
    }
    const elapsed = performance.now() - started;
    if (round > 0) best = Math.min(best, elapsed);
  }
  return { perSecond: (samples.length / best) * 1000, valid };
}

function format(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US').padStart(11)} values/s`;
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

function benchMix(mix: PhoneSampleMix, count: number): void {
  const samples = generatePhoneSamples(count, { seed: 2024, mix });
  const library = measure(() => normalizePhoneWithLibrary, samples);
  const fast = measure(() => createPhoneNormalizer({ cacheSize: 0 }).normalize, samples);
  const memo = measure(() => createPhoneNormalizer().normalize, samples);

  const onePass = createPhoneNormalizer();
  for (const sample of samples) onePass.normalize(sample.raw, sample);
  const stats = onePass.stats();
  const fallbacks = stats.cacheHits + stats.library;

  console.log(`\n${mix} mix, ${count.toLocaleString('en-US')} cells, ${percent(library.valid, count)} valid`);
  console.log(`  library only         ${format(library.perSecond)}`);
  console.log(`  fast path, no memo   ${format(fast.perSecond)}  x${(fast.perSecond / library.perSecond).toFixed(1)}`);
  console.log(`  fast path + memo     ${format(memo.perSecond)}  x${(memo.perSecond / library.perSecond).toFixed(1)}  (memo empty at the start of each pass)`);
  console.log(`  fast-path hit rate   ${percent(stats.fastPath, stats.calls)} of cells answered without libphonenumber-js`);
  console.log(`  memo hit rate        ${percent(stats.cacheHits, fallbacks)} of the ${fallbacks.toLocaleString('en-US')} fallbacks in one pass (${percent(stats.cacheHits, stats.calls)} of cells)`);
  if (fast.valid !== library.valid || memo.valid !== library.valid) {
    throw new Error(`Cannot trust this run as a benchmark: valid counts differ (${library.valid}, ${fast.valid}, ${memo.valid})`);
  }
}

function main(argv: readonly string[]): void {
  const count = Number(argv[0] ?? 200_000);
  console.log(`phone normalisation, node ${process.version}, best of ${ROUNDS} passes`);
  benchMix('realistic', count);
  benchMix('adversarial', count);
}

main(process.argv.slice(2));
