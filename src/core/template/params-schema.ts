import { z } from 'zod';
import { valueAtPath } from './json-path.js';
import type { AnalysisSpec, ParamSpec, ParamValue } from './template-types.js';
import { MAX_SQL_LENGTH } from './template-vocabulary.js';

/** Validated parameters of one run: every declared parameter with a value or a default. */
export type AnalysisParams = Record<string, ParamValue>;

/**
 * The zod schema of one parameter's value, bounded by its spec (allowed values, min, max;
 * `string[]` items unique). Defaults and optionality are added by {@link paramsSchema}.
 *
 * @example
 * ```ts
 * paramValueSchema({ type: 'integer', description: 'Days', min: 1, max: 90 }).safeParse(30).success; // true
 * ```
 */
export function paramValueSchema(spec: ParamSpec): z.ZodType<ParamValue> {
  const values = (spec.allowedValues ?? []) as [string, ...string[]];
  switch (spec.type) {
    case 'enum':
      return z.enum(values);
    case 'boolean':
      return z.boolean();
    case 'integer':
      return bounded(z.number().int(), spec);
    case 'number':
      return bounded(z.number(), spec);
    case 'date': {
      let date = z.iso.date();
      if (typeof spec.min === 'string') date = date.refine((v) => v >= (spec.min as string), `must be on or after ${spec.min}`);
      if (typeof spec.max === 'string') date = date.refine((v) => v <= (spec.max as string), `must be on or before ${spec.max}`);
      return date;
    }
    case 'sql':
      return z.string().trim().min(1).max(MAX_SQL_LENGTH);
    case 'string[]': {
      let list = z.array(values.length > 0 ? z.enum(values) : z.never());
      if (typeof spec.min === 'number') list = list.min(spec.min);
      if (typeof spec.max === 'number') list = list.max(spec.max);
      return list
        .refine((items) => new Set(items).size === items.length, 'must not list a value twice')
        .meta({ uniqueItems: true });
    }
  }
}

function bounded(schema: z.ZodNumber, spec: ParamSpec): z.ZodNumber {
  let result = schema;
  if (typeof spec.min === 'number') result = result.min(spec.min);
  if (typeof spec.max === 'number') result = result.max(spec.max);
  return result;
}

/**
 * The zod schema of an analysis's parameters: a strict object (unknown parameters are
 * refused), each parameter bounded by its spec, filled with its default when absent,
 * optional unless `required`.
 *
 * @example
 * ```ts
 * const schema = paramsSchema(template.analyses.attribution!);
 * schema.parse({ lookback_days: 14 }); // { lookback_days: 14, model: 'last_touch', group_by: [...] }
 * ```
 */
export function paramsSchema(analysis: AnalysisSpec): z.ZodType<AnalysisParams> {
  // A validated template's analyses are frozen, so one schema per analysis object serves
  // every run (building it is most of what validating a run's parameters costs).
  const frozen = Object.isFrozen(analysis);
  const known = frozen ? SCHEMAS.get(analysis) : undefined;
  if (known !== undefined) return known;
  const built = buildParamsSchema(analysis);
  if (frozen) SCHEMAS.set(analysis, built);
  return built;
}

const SCHEMAS = new WeakMap<AnalysisSpec, z.ZodType<AnalysisParams>>();

function buildParamsSchema(analysis: AnalysisSpec): z.ZodType<AnalysisParams> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(analysis.params)) {
    const value = paramValueSchema(spec).describe(spec.description);
    const fallback = spec.default;
    if (fallback !== undefined) {
      shape[name] = value.default(() => (Array.isArray(fallback) ? [...fallback] : fallback));
    } else {
      shape[name] = spec.required === true ? value : value.optional();
    }
  }
  return z.strictObject(shape) as unknown as z.ZodType<AnalysisParams>;
}

/**
 * The JSON Schema (draft 2020-12) of an analysis's parameters as a caller writes them, for
 * the UI's forms and the OpenAPI document: parameters with a default are not `required`.
 *
 * @example
 * ```ts
 * paramsJsonSchema(analysis).properties; // { lookback_days: { type: 'integer', minimum: 1, ... } }
 * ```
 */
export function paramsJsonSchema(analysis: AnalysisSpec): Record<string, unknown> {
  return z.toJSONSchema(paramsSchema(analysis), { io: 'input' }) as Record<string, unknown>;
}

/** A parameter problem: which parameter (`group_by.1` for an item), and why. */
export interface ParamProblem {
  code: 'missing_param' | 'unknown_param' | 'invalid_param';
  path: string;
  message: string;
}

/**
 * Validates a caller's parameters against an analysis before anything runs. Problems are
 * returned, never thrown.
 *
 * @example
 * ```ts
 * validateParams(analysis, { lookback_days: 400 });
 * // { ok: false, problems: [{ code: 'invalid_param', path: 'lookback_days', message: 'Cannot use 400 as parameter lookback_days: ...' }] }
 * ```
 */
export function validateParams(
  analysis: AnalysisSpec,
  input: unknown,
): { ok: true; params: AnalysisParams } | { ok: false; problems: ParamProblem[] } {
  const parsed = paramsSchema(analysis).safeParse(input ?? {});
  if (parsed.success) return { ok: true, params: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap((issue) => paramProblems(issue, input)) };
}

function paramProblems(issue: z.core.$ZodIssue, input: unknown): ParamProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      code: 'unknown_param',
      path: key,
      message: `Cannot use parameter '${key}': this analysis has no such parameter`,
    }));
  }
  const path = issue.path.map(String).join('.');
  const name = path === '' ? 'the parameters' : `parameter ${path}`;
  const value = valueAtPath(input, issue.path);
  if (issue.code === 'invalid_type' && value === undefined && issue.path.length > 0) {
    return [{ code: 'missing_param', path, message: `Cannot run without ${name}: it is required` }];
  }
  const shown = JSON.stringify(value) ?? String(value);
  return [{ code: 'invalid_param', path, message: `Cannot use ${shown} as ${name}: ${issue.message}` }];
}
