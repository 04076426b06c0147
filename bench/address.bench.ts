/**
 * Street-line normalisation micro-benchmark: `normalizeAddress` beside `normalizeZip` on
 * generated values (mixed spellings of suffixes, directionals, units and ordinals).
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/address.bench.js [count]`
 *
 * @example
 * ```sh
 * node dist/bench/address.bench.js 200000
 * ```
 */
import { normalizeAddress } from '../src/core/identity/normalize-address.js';
import { normalizeZip } from '../src/core/identity/normalize-zip.js';
import type { Normalized } from '../src/core/identity/identifier-kind.js';

const ROUNDS = 5;
const STREETS = ['Main', 'Oak', 'Spring Garden', 'Twenty-Third', 'First', 'Martin Luther King Jr', 'Elm', 'Park'];
const SUFFIXES = ['Street', 'St.', 'Str', 'Avenue', 'Ave', 'Blvd', 'Boulevard', 'Ln', 'Lane', 'Ct', 'Way', 'Pkwy'];
const PRE = ['', '', 'N ', 'North ', 'S. ', 'West '];
const UNITS = ['', '', '', ' Apt 4B', ' #12', ' Suite 200', ', Apartment 7', ' Unit 3'];

function samples(count: number): { address: string[]; zip: string[] } {
  const address: string[] = [];
  const zip: string[] = [];
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    address.push(`${1 + next(9999)} ${PRE[next(PRE.length)]}${STREETS[next(STREETS.length)]} ${SUFFIXES[next(SUFFIXES.length)]}${UNITS[next(UNITS.length)]}`);
    zip.push(next(4) === 0 ? `${String(next(99_999)).padStart(5, '0')}-${String(next(9999)).padStart(4, '0')}` : String(next(99_999)).padStart(5, '0'));
  }
  return { address, zip };
}

/** Best of `ROUNDS` passes, after one warm-up pass: values per second. */
function measure(normalize: (raw: string) => Normalized, values: readonly string[]): number {
  let best = Infinity;
  for (let round = 0; round <= ROUNDS; round++) {
    const started = performance.now();
    for (const value of values) normalize(value);
    const elapsed = performance.now() - started;
    if (round > 0) best = Math.min(best, elapsed);
  }
  return Math.round(values.length / (best / 1000));
}

const count = Number(process.argv[2] ?? 200_000);
const { address, zip } = samples(count);
const perSecond = { address: measure(normalizeAddress, address), zip: measure(normalizeZip, zip) };
process.stdout.write(`${JSON.stringify({ count, perSecond })}\n`);
