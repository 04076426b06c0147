import type { SqlParam } from '../engine-port.js';
import { CleanRoomError } from '../errors.js';
import { datasetSpec, ident, matchColumn, matchTable, personExpression } from '../room-schema/room-sql.js';
import { parseColumnRef } from '../template/column-ref.js';
import type { ColumnRef } from '../template/column-ref.js';
import type { AttributionAnalysis, ParamSpec, Template } from '../template/index.js';
import { ATTRIBUTION_MODELS } from '../template/index.js';
import type { AttributionModel } from '../template/index.js';
import type { CompiledAnalysis } from './compiled-analysis.js';
import type { SketchSettings } from '../privacy/difference/population-sketch.js';
import { sketchSelect } from '../privacy/difference/population-sketch.js';


/**
 * The SQL that differs between models: fixed text, chosen by the validated `model`
 * parameter, never built from a caller's value. `{order}` is the tie-break list of the
 * exposure-side columns (campaign, then the exposure dimensions grouped by).
 */
const MODELS: Readonly<Record<AttributionModel, { window: string; keep: string; conversions: string; revenue: string; credit: string; creditedValue: string }>> = Object.freeze({
  last_touch: {
    window: 'row_number() OVER (PARTITION BY c.conversion ORDER BY x.ts DESC, {order}) AS touch',
    keep: ' WHERE touch = 1',
    conversions: 'count(*)',
    revenue: 'sum(value)',
    credit: '1',
    creditedValue: 'value',
  },
  first_touch: {
    window: 'row_number() OVER (PARTITION BY c.conversion ORDER BY x.ts ASC, {order}) AS touch',
    keep: ' WHERE touch = 1',
    conversions: 'count(*)',
    revenue: 'sum(value)',
    credit: '1',
    creditedValue: 'value',
  },
  even_split: {
    window: 'count(*) OVER (PARTITION BY c.conversion) AS touches',
    keep: '',
    conversions: 'sum(1.0::DOUBLE / touches)',
    revenue: 'sum(CAST(value AS DOUBLE) / touches)',
    credit: '1.0::DOUBLE / touches',
    creditedValue: 'CAST(value AS DOUBLE) / touches',
  },
});

/** The result columns that are not dimensions; no dimension may take one of these names. */
const MEASURE_COLUMNS = ['people', 'conversions', 'revenue', 'converters'];

/**
 * Compiles an attribution analysis of a template to one SELECT over the room's datasets
 * and the match table `resolveIdentity` built for its exposures and conversions datasets.
 * `params` must already be validated and defaulted by `paramsSchema(analysis)`.
 *
 * Semantics (docs/attribution.md): a conversion (a conversions row of a matched person) is
 * attributable to each exposure of that person with
 * `exposure_ts <= conversion_ts < exposure_ts + lookback_days days`. `last_touch` gives it
 * to the latest attributable exposure, `first_touch` to the earliest, ties going to the
 * smallest campaign (then the smallest exposure-side group-by values); `even_split` gives
 * 1/n to each of its n attributable exposures. Filters restrict the exposures and the
 * conversions before attribution. One row per campaign and group-by values, with
 * `people` (= `converters`, distinct matched people credited in the row), `conversions`
 * (credited, fractional under `even_split`) and `revenue` (credited value).
 *
 * @example
 * ```ts
 * const analysis = template.analyses.attribution!;
 * const params = paramsSchema(analysis).parse({ model: 'even_split', group_by: ['transactions.store'] });
 * const compiled = compileAttribution(template, 'attribution', params);
 * const { rows } = await room.query(compiled.sql, compiled.params);
 * // rows: [{ campaign: 'spring', 'transactions.store': 'S01', people: 130, conversions: 151.5, revenue: 7025.25, converters: 130 }, ...]
 * compiled.shape; // { dimensions: ['campaign', 'transactions.store'], people: 'people', counts: ['conversions', 'converters'], values: ['revenue'], partition: false }
 * ```
 */
export function compileAttribution(template: Template, analysisName: string, params: Record<string, unknown>, sketch?: SketchSettings): CompiledAnalysis {
  const { ctes, params: sqlParams, groupAliases, names, model } = attributionPairs(template, analysisName, params);
  const fragments = MODELS[model];
  const sql = `${ctes}
SELECT ${groupAliases.map((alias, i) => `${alias} AS ${ident(names[i]!)}`).join(', ')}, people, conversions, revenue, people AS converters${sketch === undefined ? '' : ', "__population", "__fingerprint"'}
FROM (
  SELECT ${groupAliases.join(', ')}, count(DISTINCT person) AS people, ${fragments.conversions} AS conversions, ${fragments.revenue} AS revenue${sketch === undefined ? '' : `, ${sketchSelect('person', sketch)}`}
  FROM attr__pairs${fragments.keep}
  GROUP BY ${groupAliases.join(', ')}
) attr__rows
ORDER BY ${groupAliases.map((_, i) => `${i + 1} ASC NULLS LAST`).join(', ')}`;
  return {
    sql,
    params: sqlParams,
    shape: { dimensions: names, people: 'people', counts: ['conversions', 'converters'], values: ['revenue'], partition: false },
  };
}

/**
 * The attributed touches of an attribution run, before aggregation: `ctes` is a WITH clause
 * ending in `attr__pairs` (one row per conversion and attributable exposure: `person`,
 * `value`, `campaign`, the group-by values as `g0`, `g1`, … and the model's window column),
 * `credited` the SELECT of the credited rows of the model with each row's `credit` (1, or
 * 1/n under even_split) and `credited_value` (its share of the conversion's value).
 *
 * @example
 * ```ts
 * const { ctes, credited, params } = attributionPairs(template, 'attribution', { model: 'last_touch', lookback_days: 30, group_by: [] });
 * await room.query(`${ctes} SELECT campaign, sum(credit) FROM (${credited}) GROUP BY campaign`, params);
 * ```
 */
export function attributionPairs(
  template: Template,
  analysisName: string,
  params: Record<string, unknown>,
): { ctes: string; credited: string; params: SqlParam[]; groupAliases: string[]; names: string[]; groups: ColumnRef[]; model: AttributionModel } {
  const analysis = attributionAnalysis(template, analysisName);
  const { exposures, conversions } = analysis;
  const model = modelOf(params.model);
  const lookbackDays = lookbackOf(params.lookback_days);
  const groups = groupRefs(template, analysis, params.group_by);
  const sqlParams: SqlParam[] = [];

  // Group-by columns travel through the CTEs as g0, g1, …: aliases fixed here, never names from input.
  const exposureGroups = groups.flatMap((ref, i) => (ref.dataset === exposures.dataset ? [{ ref, alias: `g${i}` }] : []));
  const conversionGroups = groups.flatMap((ref, i) => (ref.dataset === conversions.dataset ? [{ ref, alias: `g${i}` }] : []));
  const { exposureFilters, conversionFilters } = filterSql(analysis, params);

  const table = ident(matchTable(exposures.dataset, conversions.dataset));
  const exposurePerson = ident(matchColumn(exposures.dataset));
  const conversionPerson = ident(matchColumn(conversions.dataset));
  const touches = `SELECT m.${conversionPerson} AS person, e.${ident(exposures.timestamp)} AS ts, e.${ident(exposures.campaign)} AS campaign${exposureGroups.map((g) => `, e.${ident(g.ref.column)} AS ${g.alias}`).join('')}
  FROM ${ident(exposures.dataset)} e JOIN ${table} m ON m.${exposurePerson} = ${personExpression(template, exposures.dataset, 'e')}
  WHERE e.${ident(exposures.timestamp)} IS NOT NULL${exposureFilters.sql.map((f) => `\n    AND ${f}`).join('')}`;
  sqlParams.push(...exposureFilters.params);
  const converted = `SELECT row_number() OVER () AS conversion, m.${conversionPerson} AS person, t.${ident(conversions.timestamp)} AS ts, t.${ident(conversions.value)} AS value${conversionGroups.map((g) => `, t.${ident(g.ref.column)} AS ${g.alias}`).join('')}
  FROM ${ident(conversions.dataset)} t JOIN ${table} m ON m.${conversionPerson} = ${personExpression(template, conversions.dataset, 't')}
  WHERE t.${ident(conversions.timestamp)} IS NOT NULL${conversionFilters.sql.map((f) => `\n    AND ${f}`).join('')}`;
  sqlParams.push(...conversionFilters.params);

  const fragments = MODELS[model];
  const order = ['x.campaign', ...exposureGroups.map((g) => `x.${g.alias}`)].map((c) => `${c} ASC NULLS LAST`).join(', ');
  const carried = [...exposureGroups.map((g) => `x.${g.alias}`), ...conversionGroups.map((g) => `c.${g.alias}`)];
  const pairs = `SELECT c.person, c.value, x.campaign${carried.map((c) => `, ${c}`).join('')},
    ${fragments.window.replace('{order}', order)}
  FROM attr__conversions c JOIN attr__touches x
    ON x.person = c.person AND x.ts <= c.ts AND c.ts < x.ts + to_days(CAST(? AS INTEGER))`;
  sqlParams.push(lookbackDays);

  const groupAliases = ['campaign', ...groups.map((_, i) => `g${i}`)];
  const names = ['campaign', ...groups.map((ref) => `${ref.dataset}.${ref.column}`)];
  checkNames(names);
  const ctes = `WITH attr__touches AS (
  ${touches}
), attr__conversions AS (
  ${converted}
), attr__pairs AS (
  ${pairs}
)`;
  const credited = `SELECT *, ${fragments.credit} AS credit, ${fragments.creditedValue} AS credited_value FROM attr__pairs${fragments.keep}`;
  return { ctes, credited, params: sqlParams, groupAliases, names, groups, model };
}

function attributionAnalysis(template: Template, name: string): AttributionAnalysis {
  const analysis = Object.hasOwn(template.analyses, name) ? template.analyses[name] : undefined;
  if (analysis === undefined) {
    throw new CleanRoomError('not_found', `Cannot compile analysis '${name}': the template has no such analysis`, { details: { field: name } });
  }
  if (analysis.kind !== 'attribution') {
    throw new CleanRoomError('invalid_argument', `Cannot compile analysis '${name}' as attribution: its kind is ${analysis.kind}`, { details: { field: name } });
  }
  return analysis;
}

function modelOf(value: unknown): AttributionModel {
  if (typeof value === 'string' && (ATTRIBUTION_MODELS as readonly string[]).includes(value)) return value as AttributionModel;
  throw new CleanRoomError('invalid_argument', `Cannot use ${JSON.stringify(value)} as parameter model: expected one of ${ATTRIBUTION_MODELS.join(', ')}`, { details: { field: 'model' } });
}

function lookbackOf(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new CleanRoomError('invalid_argument', `Cannot use ${JSON.stringify(value)} as parameter lookback_days: expected an integer >= 1`, { details: { field: 'lookback_days' } });
}

/** The group-by references, each one the template allows and a column of the exposures or conversions dataset. */
function groupRefs(template: Template, analysis: AttributionAnalysis, value: unknown): ColumnRef[] {
  if (value === undefined) return [];
  const allowed = paramSpec(analysis, 'group_by')?.allowedValues ?? [];
  if (!Array.isArray(value)) throw new CleanRoomError('invalid_argument', `Cannot use ${JSON.stringify(value)} as parameter group_by: expected a list`, { details: { field: 'group_by' } });
  return value.map((item: unknown, index) => {
    const ref = typeof item === 'string' && allowed.includes(item) ? parseColumnRef(item) : undefined;
    const sides = [analysis.exposures.dataset, analysis.conversions.dataset];
    if (ref === undefined || !sides.includes(ref.dataset) || !Object.hasOwn(datasetSpec(template, ref.dataset).columns, ref.column)) {
      throw new CleanRoomError('invalid_argument', `Cannot group by ${JSON.stringify(item)} in parameter group_by.${index}: it is not an allowed column of the exposures or conversions dataset`, {
        details: { field: `group_by.${index}` },
      });
    }
    return ref;
  });
}

function paramSpec(analysis: AttributionAnalysis, name: string): ParamSpec | undefined {
  return Object.hasOwn(analysis.params, name) ? analysis.params[name] : undefined;
}

interface FilterSql {
  sql: string[];
  params: SqlParam[];
}

/** The WHERE conditions of the filter parameters that have a value, per side. */
function filterSql(analysis: AttributionAnalysis, params: Record<string, unknown>): { exposureFilters: FilterSql; conversionFilters: FilterSql } {
  const exposureFilters: FilterSql = { sql: [], params: [] };
  const conversionFilters: FilterSql = { sql: [], params: [] };
  for (const [name, spec] of Object.entries(analysis.params)) {
    const value = params[name];
    if (spec.filter === undefined || value === undefined) continue;
    const ref = parseColumnRef(spec.filter.column);
    const side = ref?.dataset === analysis.exposures.dataset ? { alias: 'e', into: exposureFilters } : ref?.dataset === analysis.conversions.dataset ? { alias: 't', into: conversionFilters } : undefined;
    if (ref === undefined || side === undefined) {
      throw new CleanRoomError('invalid_argument', `Cannot filter on ${spec.filter.column} in parameter ${name}: attribution filters only its exposures or conversions dataset`, { details: { field: name } });
    }
    const column = `${side.alias}.${ident(ref.column)}`;
    const condition = filterCondition(column, spec, value, name);
    side.into.sql.push(condition.sql);
    side.into.params.push(...condition.params);
  }
  return { exposureFilters, conversionFilters };
}

function filterCondition(column: string, spec: ParamSpec, value: unknown, name: string): { sql: string; params: SqlParam[] } {
  const op = spec.filter?.op;
  if (op === 'in') {
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) throw badFilter(name, value);
    // An empty list keeps nothing, as `IN ()` would; it never means "no filter".
    return value.length === 0 ? { sql: 'false', params: [] } : { sql: `${column} IN (${value.map(() => '?').join(', ')})`, params: value };
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw badFilter(name, value);
  if (spec.type === 'date') {
    // A date bound covers its whole day, whether the column holds dates or timestamps.
    if (op === 'eq') return { sql: `${column} = CAST(? AS DATE)`, params: [value] };
    if (op === 'gte') return { sql: `${column} >= CAST(? AS DATE)`, params: [value] };
    return { sql: `${column} < CAST(? AS DATE) + INTERVAL 1 DAY`, params: [value] };
  }
  if (op === 'eq') return { sql: `${column} = ?`, params: [value] };
  return { sql: op === 'gte' ? `${column} >= ?` : `${column} <= ?`, params: [value] };
}

function badFilter(name: string, value: unknown): CleanRoomError {
  return new CleanRoomError('invalid_argument', `Cannot use ${JSON.stringify(value)} as parameter ${name}: it does not fit its filter`, { details: { field: name } });
}

function checkNames(names: readonly string[]): void {
  const seen = new Set<string>(MEASURE_COLUMNS);
  for (const name of names) {
    if (seen.has(name)) {
      throw new CleanRoomError('invalid_argument', `Cannot name result column '${name}' twice: two group-by columns, or a group-by column and a measure, share it`, { details: { field: name } });
    }
    seen.add(name);
  }
}
