import type { Cell, RoomStore } from '../../engine-port.js';
import type { GuardedTable } from '../../privacy/guard-result.js';
import type { RandomSource } from '../../privacy/dp/random-source.js';
import { releaseNoisyTable } from '../../privacy/dp/release-table.js';
import type { ParamValue, Template } from '../../template/index.js';
import { analysisPair } from '../plan-parts.js';
import { compileDpAggregate, type DpTablePlan } from './compile-dp-aggregate.js';
import { compileDpAttribution } from './compile-dp-attribution.js';
import { compileDpLift } from './compile-dp-lift.js';
import { noisyLiftGroups } from './noisy-lift.js';
import { compileDpOverlap } from './compile-dp-overlap.js';
import { splitRunBudget } from '../../privacy/budget/run-budgets.js';
import { runSeed } from './bounding/run-seed.js';

/**
 * What a DP run released: its tables, and the name of the one whose rows decide its status.
 *
 * @example
 * ```ts
 * const { tables, main }: DpRelease = await runDpAnalysis(room, template, 'overlap', {}, rng); // main: 'overall'
 * ```
 */
export interface DpRelease {
  tables: Record<string, GuardedTable>;
  main: string;
  /** Post-processing of the noisy tables (lift: its groups and statistics), or undefined. */
  summary?: Record<string, unknown>;
  /** Set when nothing useful was released (lift: no group has both arms). */
  suppressedReason?: string;
}

/**
 * Runs an aggregate, overlap, attribution or lift analysis under the template's differential privacy: a fresh
 * random seed for the contribution bounding ({@link runSeed}), the bounded SQL in the room's sandbox, then each
 * table noised by {@link releaseNoisyTable} with its part of the run's cost
 * ({@link splitRunBudget}). Spends exactly what `analysisCost` charges, never more; charging
 * the ledger is the caller's job, before anything is released.
 *
 * @example
 * ```ts
 * const { tables, main } = await runDpAnalysis(room, template, 'spend_by_segment', params, cryptoRandomSource());
 * tables[main]!.noise; // { people: { label: 'noisy count of people …' }, … }
 * ```
 */
export async function runDpAnalysis(
  room: RoomStore,
  template: Template,
  analysisName: string,
  params: Readonly<Record<string, ParamValue | undefined>>,
  rng: RandomSource,
): Promise<DpRelease> {
  const analysis = template.analyses[analysisName]!;
  const seed = runSeed(rng);
  if (analysis.kind === 'lift') {
    const plan = compileDpLift(template, analysisName, params, seed);
    const [budget] = splitRunBudget(template, analysisName, [plan.selects]);
    const table = await release(room, plan, budget!, rng, plan.transform);
    const dims = plan.spec.dimensions.filter((d) => d !== 'arm');
    const groups = noisyLiftGroups(table, { dimensions: dims, revenuePerPersonWidth: plan.revenueWidth });
    return {
      tables: { [analysisName]: table },
      main: analysisName,
      summary: { groups },
      ...(groups.length === 0 && table.rows.length > 0 ? { suppressedReason: 'no group was released with both its exposed and its holdout arm' } : {}),
    };
  }
  if (analysis.kind === 'attribution') {
    const plan = compileDpAttribution(template, analysisName, params, seed);
    const [budget] = splitRunBudget(template, analysisName, [plan.selects]);
    const table = await release(room, plan, budget!, rng, plan.transform);
    addConverters(table);
    return { tables: { [analysisName]: table }, main: analysisName };
  }
  if (analysis.kind === 'aggregate') {
    const plan = compileDpAggregate(template, analysisName, params, seed);
    const [budget] = splitRunBudget(template, analysisName, [plan.selects]);
    return { tables: { [analysisName]: await release(room, plan, budget!, rng) }, main: analysisName };
  }
  const plans = compileDpOverlap(template, analysisName, params, seed);
  const [overallBudget, byKeyBudget, populationsBudget] = splitRunBudget(template, analysisName, [plans.overall.selects, plans.byKey.selects, plans.populations.selects]);
  const populations = await release(room, plans.populations, populationsBudget!, rng);
  const overall = await release(room, plans.overall, overallBudget!, rng);
  const byKey = await release(room, plans.byKey, byKeyBudget!, rng, plans.byKey.transform);
  const [a, b] = analysisPair(template, analysis);
  for (const table of [overall, byKey]) {
    for (const dataset of [a, b]) addShare(table, populations, dataset);
  }
  return { tables: { overall, byKey, populations }, main: 'overall' };
}

async function release(
  room: RoomStore,
  plan: DpTablePlan,
  budget: ReturnType<typeof splitRunBudget>[number],
  rng: RandomSource,
  transform?: (rows: readonly Record<string, Cell>[]) => Record<string, Cell>[],
): Promise<GuardedTable> {
  const { rows } = await room.query(plan.sql, plan.params);
  const table = releaseNoisyTable(transform ? transform(rows) : rows, { ...plan.spec, budget }, rng);
  if (plan.selects && table.rows.length === 0) {
    // Nothing about the groups that were not selected is released, not even how many there were.
    table.suppressed = { ...table.suppressed, reason: 'no group reached the noisy threshold of DP partition selection' };
  }
  return table;
}

/**
 * Adds `share_of_<dataset>` = noisy people ÷ that dataset's noisy population (post-processing,
 * free), kept in [0, 1], with an interval from both 95% intervals (so at least 90%).
 */
function addShare(table: GuardedTable, populations: GuardedTable, dataset: string): void {
  const column = `share_of_${dataset}`;
  const population = populations.rows.find((row) => row.dataset === dataset);
  const num = (row: Record<string, Cell> | undefined, c: string): number => Number(row?.[c] ?? 0);
  const clamp = (x: number): number => Math.min(1, Math.max(0, x));
  const pop = num(population, 'people');
  const popLow = num(population, 'people.low');
  const popHigh = num(population, 'people.high');
  for (const row of table.rows) {
    const people = num(row, 'people');
    row[column] = pop > 0 ? clamp(people / pop) : null;
    row[`${column}.low`] = pop > 0 ? (popHigh > 0 ? clamp(num(row, 'people.low') / popHigh) : 0) : null;
    row[`${column}.high`] = pop > 0 ? (popLow > 0 ? clamp(num(row, 'people.high') / popLow) : 1) : null;
  }
  table.columns.push(column);
  table.noise = {
    ...table.noise,
    [column]: {
      mechanism: 'derived',
      parameter: `people ÷ population of ${dataset}`,
      confidence: 0.9,
      method: 'derived',
      halfWidth: null,
      label: `share of ${dataset} = noisy people ÷ noisy population of ${dataset}: interval from both 95% intervals (holds with at least 90%)`,
    },
  };
}

/** `converters` = the noisy `people` of each row (the same release under its attribution name), placed after it. */
function addConverters(table: GuardedTable): void {
  for (const row of table.rows) {
    row.converters = row.people ?? null;
    row['converters.low'] = row['people.low'] ?? null;
    row['converters.high'] = row['people.high'] ?? null;
  }
  table.columns.push('converters');
  const people = table.noise?.people;
  if (people !== undefined) table.noise = { ...table.noise, converters: { ...people, label: `the same value as people: ${people.label}` } };
}
