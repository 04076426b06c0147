import type { SqlParam } from '../engine-port.js';
import type { ParamValue, Template } from '../template/index.js';
import { ident, keysTable, matchColumn, matchTable, matchLevelNames, personExpression } from '../room-schema/room-sql.js';
import type { CompiledAnalysis } from './compiled-analysis.js';
import type { SketchSettings } from '../privacy/difference/population-sketch.js';
import { sketchSelect } from '../privacy/difference/population-sketch.js';

import { analysisPair, groupByRefs } from './plan-parts.js';

/** The overlap run's tables: per match key, overall, and each side's population. */
export interface CompiledOverlap {
  byKey: CompiledAnalysis;
  overall: CompiledAnalysis;
  populations: CompiledAnalysis;
}

/**
 * Overlap: matched people and the share of each side, per match key and overall,
 * optionally by dimensions (`group_by`). The numbers are the same whichever side runs it:
 * shares are given of both sides. Per-key rows partition the matched people, so the guard
 * holds back complements when one key's row is too small.
 *
 * @example
 * ```ts
 * const { byKey } = compileOverlap(template, 'overlap', { group_by: [] });
 * await room.query(byKey.sql, byKey.params);
 * ```
 */
export function compileOverlap(template: Template, analysisName: string, params: Readonly<Record<string, ParamValue | undefined>>, sketch?: SketchSettings): CompiledOverlap {
  const analysis = template.analyses[analysisName]!;
  const [a, b] = analysisPair(template, analysis);
  const dims = groupByRefs(params);
  const ctes = [`m AS (SELECT ${ident(matchColumn(a))} AS pa, ${ident(matchColumn(b))} AS pb, k FROM ${ident(matchTable(a, b))})`];
  const joins: string[] = [];
  for (const [side, dataset] of [['pa', a], ['pb', b]] as const) {
    const mine = dims.filter((d) => d.dataset === dataset);
    if (mine.length === 0) continue;
    const alias = `g_${side}`;
    ctes.push(`${alias} AS (SELECT DISTINCT ${personExpression(template, dataset, 'x')} AS person, ${mine.map((d) => `x.${ident(d.column)} AS ${ident(d.ref)}`).join(', ')} FROM ${ident(dataset)} x)`);
    joins.push(`JOIN ${alias} ON ${alias}.person = m.${side}`);
  }
  const dimSelect = dims.map((d) => ident(d.ref));
  const shares = `count(DISTINCT m.pa) / nullif((SELECT count(DISTINCT person) FROM ${ident(keysTable(a))}), 0) AS ${ident(`share_of_${a}`)}, count(DISTINCT m.pb) / nullif((SELECT count(DISTINCT person) FROM ${ident(keysTable(b))}), 0) AS ${ident(`share_of_${b}`)}`;
  const head = `WITH ${ctes.join(',\n')}\n`;
  const sketched = sketch === undefined ? '' : `, ${sketchSelect('m.pa', sketch)}`;
  const from = `FROM m ${joins.join(' ')}`;
  const keyNames = matchLevelNames(template);
  const byKey: CompiledAnalysis = {
    sql: `${head}SELECT m.k AS key${dimSelect.map((d) => `, ${d}`).join('')}, count(DISTINCT m.pa) AS people, ${shares}${sketched}\n${from}\nGROUP BY ALL\nORDER BY ALL`,
    params: [],
    shape: { dimensions: ['key', ...dims.map((d) => d.ref)], people: 'people', counts: [], values: [`share_of_${a}`, `share_of_${b}`], partition: true },
    transform: (rows) => rows.map((row) => ({ ...row, key: keyNames[Number(row.key)] ?? String(row.key) })),
  };
  const overall: CompiledAnalysis = {
    sql: `${head}SELECT ${dimSelect.map((d) => `${d}, `).join('')}count(DISTINCT m.pa) AS people, ${shares}${sketched}\n${from}\n${dims.length > 0 ? 'GROUP BY ALL\nORDER BY ALL' : ''}`,
    params: [],
    shape: { dimensions: dims.map((d) => d.ref), people: 'people', counts: [], values: [`share_of_${a}`, `share_of_${b}`], partition: dims.length > 0 },
  };
  const populationParams: SqlParam[] = [a, b];
  const populations: CompiledAnalysis = {
    sql: `SELECT ? AS dataset, count(DISTINCT person) AS people FROM ${ident(keysTable(a))}\nUNION ALL\nSELECT ? AS dataset, count(DISTINCT person) AS people FROM ${ident(keysTable(b))}`,
    params: populationParams,
    shape: { dimensions: ['dataset'], people: 'people', counts: [], values: [], partition: false },
  };
  return { byKey, overall, populations };
}
