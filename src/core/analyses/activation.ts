import type { SqlParam } from '../engine-port.js';
import type { ActivationAnalysis, ParamValue, Template } from '../template/index.js';
import { datasetSpec, ident, matchColumn, matchTable, personExpression } from '../room-schema/room-sql.js';
import { filterConditions } from './plan-parts.js';

/** The compiled activation: the audience query and its count query (run first). */
export interface CompiledActivation {
  /** The number of people in the audience, checked against the minimum before any key is read. */
  count: { sql: string; params: SqlParam[] };
  /** The audience: the receiving party's own person keys, one per row, column `person_key`. */
  audience: { sql: string; params: SqlParam[] };
  /** The dataset whose owner receives the audience. */
  audienceDataset: string;
}

/**
 * Activation: the matched people who satisfy the segment filters (on either side),
 * delivered as the audience dataset's *own* person keys — never the other side's keys or
 * any identifier. Only the audience dataset's owner may receive it, and only when the
 * audience reaches the minimum size (checked with the count query first).
 *
 * @example
 * ```ts
 * const compiled = compileActivation(template, 'fans_audience', { fan_tier: ['gold'] });
 * ```
 */
export function compileActivation(template: Template, analysisName: string, params: Readonly<Record<string, ParamValue | undefined>>): CompiledActivation {
  const analysis = template.analyses[analysisName] as ActivationAnalysis;
  const audience = analysis.audience;
  const other = analysis.datasets.find((d) => d !== audience)!;
  const spec = datasetSpec(template, audience);
  if (spec.personKey === undefined) throw new Error('a validated activation audience has a person key');
  const own = filterConditions(analysis, params, audience, 'x');
  const theirs = filterConditions(analysis, params, other, 'y');
  const body = `FROM ${ident(audience)} x
JOIN ${ident(matchTable(audience, other))} m ON m.${ident(matchColumn(audience))} = ${personExpression(template, audience, 'x')}
WHERE EXISTS (SELECT 1 FROM ${ident(other)} y WHERE ${personExpression(template, other, 'y')} = m.${ident(matchColumn(other))}${theirs.conditions.map((c) => ` AND ${c}`).join('')})
${own.conditions.map((c) => `AND ${c}`).join('\n')}`;
  const params_ = [...theirs.params, ...own.params];
  return {
    count: { sql: `SELECT count(DISTINCT x.${ident(spec.personKey)}) AS people ${body}`, params: params_ },
    audience: { sql: `SELECT DISTINCT CAST(x.${ident(spec.personKey)} AS VARCHAR) AS person_key ${body} ORDER BY 1`, params: params_ },
    audienceDataset: audience,
  };
}
