// Builds and prints the accuracy table of bench/README.md ("differential privacy — issue #5").
import type { AccuracyCase, AccuracyRow } from './dp-accuracy.js';
import { measureAccuracy, rhoSpendingEpsilon } from './dp-accuracy.js';

const EPSILONS = [0.5, 1, 2];
const SIZES = [100, 1_000, 10_000];
const LEDGER_DELTA = 1e-5;
const ONE = { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 };

const pct = (x: number): string => (x >= 10 ? `${Math.round(x * 100)}%` : x >= 0.1 ? `${(x * 100).toFixed(1)}%` : `${(x * 100).toFixed(2)}%`);

/** One table line: the same statistic and budget across the three group sizes. */
interface Line {
  statistic: string;
  budget: string;
  cases: AccuracyCase[];
}

function lines(): Line[] {
  const out: Line[] = [];
  for (const statistic of ['count', 'sum'] as const) {
    for (const epsilon of EPSILONS) {
      const budget = statistic === 'count' ? { countBudget: { epsilon } } : { sumBudget: { epsilon } };
      out.push({ statistic, budget: `Laplace ε=${epsilon}`, cases: SIZES.map((people) => ({ label: statistic, statistic, people, bounds: ONE, ...budget })) });
    }
    for (const epsilon of EPSILONS) {
      const rho = rhoSpendingEpsilon(epsilon, LEDGER_DELTA);
      const budget = statistic === 'count' ? { countBudget: { rho } } : { sumBudget: { rho } };
      out.push({ statistic, budget: `Gaussian ρ=${rho} (≙ ε=${epsilon})`, cases: SIZES.map((people) => ({ label: statistic, statistic, people, bounds: ONE, ...budget })) });
    }
  }
  // retail-media-insights-dp's spend_by_segment: ε 0.5 split equally between its two released
  // statistics (people, sum of amount), k = 3 groups per person, m = 10 purchases per group.
  const split = { maxGroupsPerPerson: 3, maxRowsPerGroup: 10 };
  const half = { epsilon: 0.25 };
  out.push({ statistic: 'people (k=3)', budget: 'Laplace ε=0.25 (half of 0.5)', cases: SIZES.map((people) => ({ label: 'split', statistic: 'count', people, bounds: { ...split, maxRowsPerGroup: 1 }, countBudget: half })) });
  out.push({ statistic: 'sum of amount (k=3, m=10)', budget: 'Laplace ε=0.25 (half of 0.5)', cases: SIZES.map((people) => ({ label: 'split', statistic: 'sum', people, bounds: split, sumBudget: half })) });
  out.push({
    statistic: 'mean per buyer (derived)',
    budget: 'both halves, no extra cost',
    cases: SIZES.map((people) => ({ label: 'split', statistic: 'mean', people, bounds: split, countBudget: half, sumBudget: half })),
  });
  return out;
}

const cell = (row: AccuracyRow): string =>
  `${pct(row.medianRelError)} / ${pct(row.p95RelError)}${row.halfWidthRel === null ? '' : ` / ±${pct(row.halfWidthRel)}`}`;

/**
 * Measures every line and prints the markdown table (plus the observed interval coverage).
 *
 * @example
 * ```ts
 * printAccuracyTable(2000);
 * ```
 */
export function printAccuracyTable(repetitions: number): void {
  const started = performance.now();
  console.log(`DP accuracy: ${repetitions} repetitions per cell, cryptoRandomSource(); cells are median / p95 of |noisy − true| / true / ± 95% half-width ÷ true`);
  console.log(`| statistic | budget spent on it | ${SIZES.map((n) => `${n.toLocaleString('en-US')} people`).join(' | ')} |`);
  console.log(`| --- | --- | ${SIZES.map(() => '---:').join(' | ')} |`);
  let minCoverage = { coverage: 1, where: '' };
  let draws = 0;
  for (const line of lines()) {
    const rows = line.cases.map((c) => measureAccuracy(c, repetitions));
    for (const row of rows) {
      if (row.coverage !== null && row.coverage < minCoverage.coverage) {
        minCoverage = { coverage: row.coverage, where: `${line.statistic}, ${line.budget}, ${row.case.people} people` };
      }
      draws += repetitions * (row.case.statistic === 'mean' ? 2 : 1);
    }
    console.log(`| ${line.statistic} | ${line.budget} | ${rows.map(cell).join(' | ')} |`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`lowest observed coverage of a 95% interval: ${pct(minCoverage.coverage)} (${minCoverage.where}); ${draws.toLocaleString('en-US')} noise draws (+ data) in ${seconds.toFixed(1)} s`);
}
