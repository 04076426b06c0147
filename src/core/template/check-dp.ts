import { parseColumnRef } from './column-ref.js';
import { ownEntry } from './names.js';
import type { TemplateProblem } from './template-problem.js';
import type { AnalysisSpec, Template } from './template-types.js';
import { DP_KINDS } from './template-vocabulary.js';

/**
 * Cross-field rules of differential privacy. Without `privacy.dp`, no analysis may carry
 * `dp` settings. With it: rounding is off (noise replaces it); every analysis is of a kind
 * DP covers (aggregate, overlap, attribution, lift, sql) and states its cost — `epsilon` under laplace, `rho`
 * under gaussian (plus `epsilon` when it can group by private values, for partition
 * selection) — within the per-party budget; a gaussian policy has a δ; every column a run
 * may sum has a declared range in whole steps of the analysis's resolution, so the
 * sensitivity is derived from bounds, never assumed.
 *
 * @example
 * ```ts
 * checkDp(template); // [] when every analysis can run under the template's DP policy
 * ```
 */
export function checkDp(template: Template): TemplateProblem[] {
  const policy = template.privacy.dp;
  const analyses = Object.entries(template.analyses);
  if (policy === null) {
    return analyses
      .filter(([, analysis]) => analysis.dp !== undefined)
      .map(([name]) => ({ code: 'invalid_value' as const, path: `analyses.${name}.dp`, message: `Cannot give analysis '${name}' DP settings: the template's privacy.dp is null` }));
  }
  const problems: TemplateProblem[] = [];
  if (template.privacy.rounding !== null) {
    problems.push({ code: 'invalid_value', path: 'privacy.rounding', message: 'Cannot round counts under differential privacy: noise already coarsens them (set rounding to null)' });
  }
  const party = policy.perParty ?? policy.budget;
  if (policy.perParty !== null && (policy.perParty.epsilon > policy.budget.epsilon || policy.perParty.delta > policy.budget.delta)) {
    problems.push({ code: 'out_of_range', path: 'privacy.dp.perParty', message: "Cannot give a party more budget than the collaboration's total" });
  }
  if (policy.mechanism === 'gaussian' && party.delta === 0) {
    problems.push({ code: 'out_of_range', path: 'privacy.dp.budget.delta', message: 'Cannot run the gaussian mechanism with δ = 0: zCDP needs a δ to convert to (ε, δ)' });
  }
  for (const [name, analysis] of analyses) {
    const at = `analyses.${name}`;
    if (!(DP_KINDS as readonly string[]).includes(analysis.kind)) {
      problems.push({ code: 'invalid_value', path: `${at}.kind`, message: `Cannot run ${analysis.kind} analysis '${name}' under differential privacy: DP covers ${DP_KINDS.join(', ')} analyses; put it in a template without privacy.dp` });
      continue;
    }
    const dp = analysis.dp;
    if (dp === undefined) {
      problems.push({ code: 'missing_field', path: `${at}.dp`, message: `Cannot run '${name}' under differential privacy without its cost: give dp.${policy.mechanism === 'laplace' ? 'epsilon' : 'rho'}` });
      continue;
    }
    const selects = canSelectPartitions(template, analysis);
    if (policy.mechanism === 'laplace') {
      if (dp.epsilon === undefined) problems.push({ code: 'missing_field', path: `${at}.dp.epsilon`, message: `Cannot run '${name}' under the laplace mechanism without dp.epsilon` });
      if (dp.rho !== undefined) problems.push({ code: 'invalid_value', path: `${at}.dp.rho`, message: `Cannot spend ρ in '${name}': ρ (zCDP) is the gaussian mechanism's cost` });
    } else {
      if (dp.rho === undefined) problems.push({ code: 'missing_field', path: `${at}.dp.rho`, message: `Cannot run '${name}' under the gaussian mechanism without dp.rho` });
      if (selects && dp.epsilon === undefined) problems.push({ code: 'missing_field', path: `${at}.dp.epsilon`, message: `Cannot select the groups of '${name}' without dp.epsilon: it can group by private values, and partition selection spends ε` });
    }
    if (dp.epsilon !== undefined && dp.epsilon > party.epsilon) {
      problems.push({ code: 'out_of_range', path: `${at}.dp.epsilon`, message: `Cannot charge ε=${dp.epsilon} for one run of '${name}': a party's whole budget is ε=${party.epsilon}` });
    }
    if (selects && policy.selectionDelta > party.delta) {
      problems.push({ code: 'out_of_range', path: 'privacy.dp.selectionDelta', message: `Cannot select partitions in '${name}' with δ=${policy.selectionDelta}: a party's budget has δ=${party.delta}` });
    }
    const summed = summedColumns(template, analysis);
    for (const [ref, total] of Object.entries(dp.personTotals ?? {})) {
      const path = `${at}.dp.personTotals.${ref}`;
      if (!summed.includes(ref)) {
        problems.push({ code: 'invalid_value', path, message: `Cannot cap each person's total of ${ref} in '${name}': it is not a column this analysis sums (${summed.join(', ') || 'none'})` });
      } else if (!(total[0] < total[1])) {
        problems.push({ code: 'invalid_value', path, message: `Cannot cap each person's total of ${ref} to [${total.join(', ')}]: the low end must be below the high end` });
      } else if (!total.every((bound) => isWholeSteps(bound, dp.resolution))) {
        problems.push({ code: 'invalid_value', path, message: `Cannot cap each person's total of ${ref} to [${total.join(', ')}] in steps of ${dp.resolution}: the ends must be whole steps` });
      }
    }
    for (const ref of summed) {
      const parsed = parseColumnRef(ref);
      const column = parsed === undefined ? undefined : ownEntry(ownEntry(template.datasets, parsed.dataset)?.columns ?? {}, parsed.column);
      if (column === undefined) continue; // reported by the analysis checks
      if (column.range === undefined) {
        problems.push({ code: 'missing_field', path: `datasets.${parsed!.dataset}.columns.${parsed!.column}.range`, message: `Cannot sum ${ref} under differential privacy in '${name}' without a declared range: the noise is calibrated to it` });
      } else if (!column.range.every((bound) => isWholeSteps(bound, dp.resolution))) {
        problems.push({ code: 'invalid_value', path: `${at}.dp.resolution`, message: `Cannot sum ${ref} in steps of ${dp.resolution}: its range [${column.range.join(', ')}] is not whole steps` });
      }
    }
  }
  return problems;
}

/**
 * True when a run of the analysis may group by values that come from private data (a
 * dimension without declared allowed values), so that its groups must pass partition
 * selection and it costs the policy's selection δ.
 *
 * @example
 * ```ts
 * canSelectPartitions(template, template.analyses.segment_size!); // true when group_by offers a free-text dimension
 * ```
 */
export function canSelectPartitions(template: Template, analysis: AnalysisSpec): boolean {
  const isPrivate = (ref: string): boolean => {
    const parsed = parseColumnRef(ref);
    const column = parsed === undefined ? undefined : ownEntry(ownEntry(template.datasets, parsed.dataset)?.columns ?? {}, parsed.column);
    return column?.allowedValues === undefined;
  };
  if (analysis.kind === 'sql') {
    // A query may group by any dimension its rules allow.
    return analysis.datasets.some((dataset) =>
      Object.entries(template.datasets[dataset]?.columns ?? {}).some(([column, spec]) => {
        const ref = `${dataset}.${column}`;
        const rule = analysis.rules.columns[ref];
        const dimension = rule?.dimension ?? (spec.role === 'dimension' || spec.role === 'timestamp');
        return dimension && isPrivate(ref);
      }),
    );
  }
  const groupBy = analysis.params.group_by?.allowedValues ?? [];
  // Attribution always groups by its campaign column.
  if (analysis.kind === 'attribution' && isPrivate(`${analysis.exposures.dataset}.${analysis.exposures.campaign}`)) return true;
  return groupBy.some(isPrivate);
}

/** `dataset.column` of every column a run of the analysis may sum. */
function summedColumns(template: Template, analysis: AnalysisSpec): string[] {
  if (analysis.kind === 'aggregate') return analysis.measures;
  if (analysis.kind === 'attribution') return [`${analysis.conversions.dataset}.${analysis.conversions.value}`];
  if (analysis.kind === 'lift') return analysis.conversions.value === undefined ? [] : [`${analysis.conversions.dataset}.${analysis.conversions.value}`];
  if (analysis.kind === 'sql') {
    return analysis.datasets.flatMap((dataset) =>
      Object.entries(template.datasets[dataset]?.columns ?? {})
        .map(([column, spec]) => ({ ref: `${dataset}.${column}`, spec }))
        .filter(({ ref, spec }) => (analysis.rules.columns[ref]?.aggregates ?? (spec.role === 'measure' ? ['sum'] : [])).some((f) => f === 'sum' || f === 'avg'))
        .map(({ ref }) => ref),
    );
  }
  return [];
}

function isWholeSteps(value: number, step: number): boolean {
  const steps = value / step;
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}
