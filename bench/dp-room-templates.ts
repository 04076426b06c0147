// The two templates the DP room bench compares: the ready offline-sales-attribution datasets
// with one aggregate analysis (spend), the overlap (reach) and the attribution, once without
// and once with differential privacy. They differ only in `privacy.dp` and each analysis's `dp`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from '../src/core/template/index.js';
import { validateTemplate } from '../src/core/template/index.js';

/**
 * The aggregate analysis both templates carry: matched people and revenue, by channel or store.
 *
 * @example
 * ```ts
 * await executeAnalysis(room, dp, SPEND, { group_by: ['transactions.store'] }, 'run_1');
 * ```
 */
export const SPEND = 'spend';

/**
 * The overlap analysis both templates carry (the ready template's `reach`).
 *
 * @example
 * ```ts
 * await executeAnalysis(room, dp, REACH, {}, 'run_2');
 * ```
 */
export const REACH = 'reach';

/**
 * The attribution analysis both templates carry (the ready template's `attribution`).
 *
 * @example
 * ```ts
 * await executeAnalysis(room, dp, ATTRIBUTION, { model: 'last_touch', lookback_days: 30, group_by: [] }, 'run_3');
 * ```
 */
export const ATTRIBUTION = 'attribution';

/**
 * A lift analysis both templates carry, for timing: the generated exposures have no test
 * groups, so the `display` channel plays the exposed arm and `video` the holdout.
 *
 * @example
 * ```ts
 * await executeAnalysis(room, dp, LIFT, { converted_from: '2026-03-01', converted_to: '2026-05-31' }, 'run_4');
 * ```
 */
export const LIFT = 'lift';

/** The parts of the ready template's JSON this file reads or changes. */
interface BaseJson {
  datasets: { transactions: { columns: { revenue: { range?: [number, number] } } } };
  analyses: { reach: Record<string, unknown>; attribution: Record<string, unknown> };
  privacy: Record<string, unknown>;
}

/**
 * Builds and validates the pair from `templates/offline-sales-attribution.json`. Revenue's
 * declared range becomes [0, 200], the generated data's range, so the noise is calibrated to it.
 *
 * @example
 * ```ts
 * const { plain, dp } = dpBenchTemplates(repoRoot);
 * ```
 */
export function dpBenchTemplates(root: string): { plain: Template; dp: Template } {
  const base = JSON.parse(readFileSync(join(root, 'templates', 'offline-sales-attribution.json'), 'utf8')) as BaseJson;
  base.datasets.transactions.columns.revenue.range = [0, 200];
  const spend = {
    kind: 'aggregate',
    description: 'Matched people and their revenue, overall or by channel (public) or store (private).',
    datasets: ['exposures', 'transactions'],
    runs: ['publisher', 'retailer'],
    receives: ['publisher', 'retailer'],
    measures: ['transactions.revenue'],
    params: {
      group_by: {
        type: 'string[]',
        description: 'Break down by channel or store.',
        allowedValues: ['exposures.channel', 'transactions.store'],
        max: 1,
        default: [],
      },
    },
  };
  const reach = base.analyses.reach;
  const attribution = base.analyses.attribution;
  const lift = {
    kind: 'lift',
    description: 'Display (exposed) against video (holdout) viewers: conversion rates and revenue per person.',
    datasets: ['exposures', 'transactions'],
    runs: ['publisher', 'retailer'],
    receives: ['publisher', 'retailer'],
    assignment: { dataset: 'exposures', column: 'channel', exposed: 'display', holdout: 'video' },
    conversions: { dataset: 'transactions', timestamp: 'purchased_at', value: 'revenue' },
    params: {
      converted_from: { type: 'date', description: 'First day.', required: true, filter: { column: 'transactions.purchased_at', op: 'gte' } },
      converted_to: { type: 'date', description: 'Last day.', required: true, filter: { column: 'transactions.purchased_at', op: 'lte' } },
    },
  };
  const plainJson = { ...base, name: 'dp-bench-plain', analyses: { [SPEND]: spend, [REACH]: reach, [ATTRIBUTION]: attribution, [LIFT]: lift } };
  const dpJson = {
    ...base,
    name: 'dp-bench-dp',
    analyses: {
      // Each generated person has 2 exposures and 2 purchases: k = 3 groups and m = 5 rows keep them whole.
      [SPEND]: { ...spend, dp: { epsilon: 1, maxGroupsPerPerson: 3, maxRowsPerGroup: 5, resolution: 0.01 } },
      [REACH]: { ...reach, dp: { epsilon: 0.3 } },
      // Each person's 2 exposures credit at most 2 campaigns, and their 2 purchases at most 2 touches in one.
      [ATTRIBUTION]: { ...attribution, dp: { epsilon: 1, maxGroupsPerPerson: 3, maxRowsPerGroup: 5, resolution: 0.01 } },
      // A person is in at most 2 arms (2 exposures), with 2 purchases.
      [LIFT]: { ...lift, dp: { epsilon: 1, maxGroupsPerPerson: 2, maxRowsPerGroup: 5, resolution: 0.01 } },
    },
    privacy: {
      ...base.privacy,
      dp: { unit: 'person', mechanism: 'laplace', budget: { epsilon: 10, delta: 1e-5 }, perParty: null, refreshDays: null, selectionDelta: 1e-7 },
    },
  };
  return { plain: valid(plainJson), dp: valid(dpJson) };
}

function valid(json: unknown): Template {
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(`Cannot build the DP bench template: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return result.template;
}
