// `npm run bench:dp [-- --reps 2000] [-- --rows 1000000]`: differential privacy (issue #5).
// First the accuracy table (pure: the real samplers over cryptoRandomSource()), then the room's
// run latency with and without DP beside raw DuckDB, each size in its own process.
import { printAccuracyTable } from './dp-accuracy-table.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1] ?? fallback;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  printAccuracyTable(Number(arg('--reps', '2000')));
}
