import { checkAnalyses } from './check-analyses.js';
import { checkDatasets } from './check-datasets.js';
import { checkIdentity } from './check-identity.js';
import { checkDp } from './check-dp.js';
import { checkPrivacy } from './check-privacy.js';
import { problemsFromZod } from './template-problem.js';
import type { TemplateProblem } from './template-problem.js';
import { templateSchema } from './template-schema.js';
import type { DatasetSpec, Template } from './template-types.js';

/** The outcome of {@link validateTemplate}. */
export type TemplateValidation = { ok: true; template: Template } | { ok: false; problems: TemplateProblem[] };

/**
 * Validates a parsed JSON document as a template: its shape first (types, vocabularies,
 * names, unknown fields), then — only when the shape is right — the rules across fields
 * (roles, owners, match keys, analyses, parameters, reviewers). Problems are returned as
 * data, never thrown. A valid template comes back with defaults filled in, the implied
 * column roles written out, prototype-free maps and everything deeply frozen.
 *
 * @example
 * ```ts
 * const result = validateTemplate(JSON.parse(text));
 * if (!result.ok) result.problems;
 * // e.g. [{ code: 'out_of_range', path: 'privacy.minPeople', message: 'Cannot accept privacy.minPeople: ...' }]
 * ```
 */
export function validateTemplate(json: unknown): TemplateValidation {
  const parsed = templateSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error.issues, json) };
  const template = normalize(parsed.data);
  const problems = [...checkDatasets(template), ...checkIdentity(template), ...checkAnalyses(template), ...checkPrivacy(template), ...checkDp(template)];
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, template: deepFreeze(template) };
}

/** Writes out the roles the JSON may leave implicit, and rebuilds every map without a prototype. */
function normalize(template: Template): Template {
  const datasets = Object.fromEntries(
    Object.entries(template.datasets).map(([name, dataset]) => [name, normalizeDataset(dataset)]),
  );
  return {
    ...template,
    roles: prototypeFree(template.roles),
    datasets: prototypeFree(datasets),
    analyses: prototypeFree(
      Object.fromEntries(
        Object.entries(template.analyses).map(([name, analysis]) => [name, { ...analysis, params: prototypeFree(analysis.params) }]),
      ),
    ),
  };
}

function normalizeDataset(dataset: DatasetSpec): DatasetSpec {
  const columns = Object.fromEntries(
    Object.entries(dataset.columns).map(([name, column]) => {
      if (column.role !== undefined) return [name, column];
      if (column.identifier !== undefined) return [name, { ...column, role: 'identifier' as const }];
      if (name === dataset.personKey) return [name, { ...column, role: 'person_key' as const }];
      return [name, column];
    }),
  );
  return { ...dataset, columns: prototypeFree(columns) };
}

function prototypeFree<T>(record: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, record);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
