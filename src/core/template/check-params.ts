import { findColumnRef } from './column-ref.js';
import { paramValueSchema } from './params-schema.js';
import type { TemplateProblem } from './template-problem.js';
import type { AnalysisSpec, ParamSpec, Template } from './template-types.js';
import type { ColumnRole, ColumnType } from './template-vocabulary.js';
import { ATTRIBUTION_MODELS, RESERVED_PARAMS } from './template-vocabulary.js';

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Cross-field rules of one analysis's parameters: each is either reserved for its kind
 * (`group_by`, `model`, `lookback_days`) and shaped as that meaning needs, or a filter on
 * a dimension, measure or timestamp column of the analysis's datasets with an operator
 * that fits both types; bounds and allowed values fit the type; defaults are valid.
 *
 * @example
 * ```ts
 * checkParams(template, 'attribution'); // []
 * ```
 */
export function checkParams(template: Template, name: string): TemplateProblem[] {
  const analysis = template.analyses[name];
  if (analysis === undefined) return [];
  const problems: TemplateProblem[] = [];
  const reserved = RESERVED_PARAMS[analysis.kind];
  for (const [paramName, spec] of Object.entries(analysis.params)) {
    const path = `analyses.${name}.params.${paramName}`;
    const shape = checkShape(spec, path);
    problems.push(...shape);
    if (spec.type === 'sql' && !(analysis.kind === 'sql' && paramName === 'sql')) {
      problems.push(invalid(`${path}.type`, "only the reserved parameter 'sql' of a sql analysis takes SQL text"));
    } else if (reserved.includes(paramName)) {
      problems.push(...checkReserved(template, analysis, paramName, spec, path));
    } else if (analysis.kind === 'sql' && analysis.query !== undefined && spec.filter === undefined) {
      problems.push(...checkQueryParam(analysis.query, paramName, spec, path));
    } else if (spec.filter === undefined) {
      problems.push({
        code: 'unbound_param',
        path,
        message: `Cannot give parameter '${paramName}' a meaning: it is neither reserved for ${analysis.kind} analyses (${reserved.join(', ') || 'none'}) nor a filter`,
      });
    } else {
      problems.push(...checkFilter(template, analysis, spec, path));
    }
    if (spec.required === true && spec.default !== undefined) {
      problems.push(invalid(`${path}.required`, 'a parameter with a default is never required; drop one of them'));
    }
    if (shape.length === 0 && spec.default !== undefined && !paramValueSchema(spec).safeParse(spec.default).success) {
      problems.push({
        code: 'invalid_default',
        path: `${path}.default`,
        message: `Cannot use ${JSON.stringify(spec.default)} as the default of parameter '${paramName}': it is not a valid ${spec.type} value for it`,
      });
    }
  }
  if (analysis.kind === 'sql') problems.push(...checkSqlParams(analysis, name));
  if (analysis.kind === 'attribution') {
    for (const needed of ['model', 'lookback_days']) {
      if (Object.hasOwn(analysis.params, needed)) continue;
      problems.push({
        code: 'missing_param',
        path: `analyses.${name}.params`,
        message: `Cannot run attribution analysis '${name}' without a '${needed}' parameter`,
      });
    }
  }
  return problems;
}

function invalid(path: string, why: string): TemplateProblem {
  return { code: 'invalid_param', path, message: `Cannot accept ${path}: ${why}` };
}

function checkShape(spec: ParamSpec, path: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const listed = spec.type === 'enum' || spec.type === 'string[]';
  if (listed && spec.allowedValues === undefined) {
    problems.push(invalid(`${path}.allowedValues`, `a ${spec.type} parameter must list its allowed values`));
  }
  if (!listed && spec.allowedValues !== undefined) {
    problems.push(invalid(`${path}.allowedValues`, `a ${spec.type} parameter takes no allowed values`));
  }
  if (spec.allowedValues !== undefined && new Set(spec.allowedValues).size !== spec.allowedValues.length) {
    problems.push(invalid(`${path}.allowedValues`, 'it lists the same value twice'));
  }
  for (const bound of ['min', 'max'] as const) {
    const value = spec[bound];
    if (value === undefined) continue;
    const why = boundProblem(spec, value);
    if (why !== undefined) problems.push(invalid(`${path}.${bound}`, why));
  }
  if (problems.length === 0 && spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
    problems.push(invalid(`${path}.min`, `the minimum ${spec.min} is above the maximum ${spec.max}`));
  }
  return problems;
}

function boundProblem(spec: ParamSpec, value: number | string): string | undefined {
  switch (spec.type) {
    case 'integer':
      return Number.isInteger(value) ? undefined : `an integer parameter takes integer bounds, not ${JSON.stringify(value)}`;
    case 'number':
      return typeof value === 'number' ? undefined : `a number parameter takes number bounds, not ${JSON.stringify(value)}`;
    case 'string[]':
      return Number.isInteger(value) && (value as number) >= 0
        ? undefined
        : `a string[] parameter's bounds count items, so they are integers >= 0, not ${JSON.stringify(value)}`;
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) ? undefined : `a date parameter takes YYYY-MM-DD bounds, not ${JSON.stringify(value)}`;
    default:
      return `a ${spec.type} parameter takes no bounds`;
  }
}

function checkReserved(
  template: Template,
  analysis: AnalysisSpec,
  paramName: string,
  spec: ParamSpec,
  path: string,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const expectType = (type: ParamSpec['type']): boolean => {
    if (spec.type === type) return true;
    problems.push(invalid(`${path}.type`, `the reserved parameter '${paramName}' is of type ${type}, not ${spec.type}`));
    return false;
  };
  if (spec.filter !== undefined) {
    problems.push(invalid(`${path}.filter`, `the reserved parameter '${paramName}' cannot also be a filter`));
  }
  const decided = (): void => {
    if (spec.default === undefined && spec.required !== true) {
      problems.push(invalid(path, `the reserved parameter '${paramName}' needs a default or required: true`));
    }
  };
  if (paramName === 'group_by' && expectType('string[]')) {
    (spec.allowedValues ?? []).forEach((ref, index) => {
      const found = findColumnRef(template, ref, {
        datasets: analysis.datasets,
        roles: ['dimension'],
        path: `${path}.allowedValues.${index}`,
      });
      if ('problem' in found) problems.push(found.problem);
    });
  }
  if (paramName === 'sql' && expectType('sql')) {
    if (analysis.kind === 'sql' && analysis.query !== undefined) {
      problems.push(invalid(path, 'a sql analysis with a pre-approved query takes no SQL from the runner'));
    } else if (spec.required !== true || spec.default !== undefined) {
      problems.push(invalid(path, "the runner's SQL is required and has no default"));
    }
  }
  if (paramName === 'model' && expectType('enum')) {
    (spec.allowedValues ?? []).forEach((model, index) => {
      if ((ATTRIBUTION_MODELS as readonly string[]).includes(model)) return;
      problems.push(invalid(`${path}.allowedValues.${index}`, `'${model}' is not an attribution model (${ATTRIBUTION_MODELS.join(', ')})`));
    });
    decided();
  }
  if (paramName === 'lookback_days' && expectType('integer')) {
    if (typeof spec.min !== 'number' || spec.min < 1 || typeof spec.max !== 'number') {
      problems.push(invalid(path, 'lookback_days needs bounds: min >= 1 and a max'));
    }
    decided();
  }
  return problems;
}

const QUERY_PARAM_TYPES: readonly ParamSpec['type'][] = ['enum', 'integer', 'number', 'boolean', 'date'];

/** `$name` placeholders of a pre-approved query (DuckDB's named parameters). */
export function queryParamNames(query: string): string[] {
  return [...new Set([...query.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!.toLowerCase()))];
}

function checkQueryParam(query: string, paramName: string, spec: ParamSpec, path: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (!QUERY_PARAM_TYPES.includes(spec.type)) {
    problems.push(invalid(`${path}.type`, `a query parameter is one value: ${QUERY_PARAM_TYPES.join(', ')}, not ${spec.type}`));
  }
  if (!queryParamNames(query).includes(paramName)) {
    problems.push({ code: 'unbound_param', path, message: `Cannot give parameter '${paramName}' a meaning: the pre-approved query has no $${paramName}` });
  }
  if (spec.default === undefined && spec.required !== true) {
    problems.push(invalid(path, `the query parameter '${paramName}' needs a default or required: true`));
  }
  return problems;
}

function checkSqlParams(analysis: AnalysisSpec & { kind: 'sql' }, name: string): TemplateProblem[] {
  const path = `analyses.${name}`;
  if (analysis.query === undefined) {
    return Object.hasOwn(analysis.params, 'sql')
      ? []
      : [{ code: 'missing_param', path: `${path}.params`, message: `Cannot let runners write SQL in '${name}' without a 'sql' parameter ({ "type": "sql", "required": true }); or give a pre-approved query` }];
  }
  return queryParamNames(analysis.query)
    .filter((param) => !Object.hasOwn(analysis.params, param))
    .map((param) => ({ code: 'missing_param' as const, path: `${path}.query`, message: `Cannot bind $${param} in the pre-approved query of '${name}': declare a parameter '${param}'` }));
}

function checkFilter(template: Template, analysis: AnalysisSpec, spec: ParamSpec, path: string): TemplateProblem[] {
  const filter = spec.filter;
  if (filter === undefined) return [];
  const target = filterTarget(spec);
  if (target === undefined) {
    return [invalid(`${path}.filter.op`, `a ${spec.type} parameter cannot filter with '${filter.op}'`)];
  }
  const found = findColumnRef(template, filter.column, {
    datasets: analysis.datasets,
    roles: target.roles,
    types: target.types,
    path: `${path}.filter.column`,
  });
  if ('problem' in found) return [found.problem];
  const columnValues = found.column.allowedValues;
  if (columnValues === undefined || spec.allowedValues === undefined) return [];
  return spec.allowedValues.flatMap((value, index) =>
    columnValues.includes(value)
      ? []
      : [invalid(`${path}.allowedValues.${index}`, `'${value}' is not an allowed value of column ${filter.column}`)],
  );
}

function filterTarget(spec: ParamSpec): { roles: ColumnRole[]; types: ColumnType[] } | undefined {
  const op = spec.filter?.op;
  if (op === 'in') return spec.type === 'string[]' ? { roles: ['dimension'], types: ['string'] } : undefined;
  if (op === 'eq') {
    const types: Partial<Record<ParamSpec['type'], ColumnType>> = { enum: 'string', boolean: 'boolean', integer: 'integer', date: 'date' };
    const type = types[spec.type];
    return type === undefined ? undefined : { roles: ['dimension'], types: [type] };
  }
  if (spec.type === 'integer' || spec.type === 'number') return { roles: ['dimension', 'measure'], types: ['integer', 'decimal'] };
  if (spec.type === 'date') return { roles: ['dimension', 'timestamp'], types: ['date', 'timestamp'] };
  return undefined;
}
