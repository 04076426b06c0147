import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { paramsSchema } from '../template/params-schema.js';
import type { Template } from '../template/template-types.js';
import { validateTemplate } from '../template/validate-template.js';
import { compileAttribution } from './attribution.js';

/** The ready attribution template, plus an exposure-side `in` filter and an exposure date filter. */
function template(): Template {
  const json = JSON.parse(readFileSync(new URL('../../../templates/offline-sales-attribution.json', import.meta.url), 'utf8'));
  Object.assign(json.analyses.attribution.params, {
    channels: { type: 'string[]', description: 'Only these channels.', allowedValues: ['video', 'ctv'], filter: { column: 'exposures.channel', op: 'in' } },
    exposed_from: { type: 'date', description: 'First exposure date.', filter: { column: 'exposures.exposed_at', op: 'gte' } },
  });
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

const t = template();
const compile = (input: Record<string, unknown>) => compileAttribution(t, 'attribution', paramsSchema(t.analyses.attribution!).parse(input));
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (error) {
    return error instanceof CleanRoomError ? error.code : 'not a CleanRoomError';
  }
  return undefined;
};

describe('compileAttribution', () => {
  it('binds every value and writes none into the SQL', () => {
    const compiled = compile({ lookback_days: 17, purchased_from: '2024-02-03', purchased_to: '2024-02-29', channels: ['ctv', 'video'], exposed_from: '2024-01-05' });
    // Exposure filters, then conversion filters, then the window, in the order of the SQL text.
    expect(compiled.params).toEqual(['ctv', 'video', '2024-01-05', '2024-02-03', '2024-02-29', 17]);
    expect(compiled.sql.split('?').length - 1).toBe(6);
    for (const value of ['17', '2024', 'ctv', 'video']) expect(compiled.sql).not.toContain(value);
  });

  it('reports a row per campaign and group-by values, thresholded on people, never a partition', () => {
    expect(compile({ group_by: ['transactions.store', 'exposures.channel'] }).shape).toEqual({
      dimensions: ['campaign', 'transactions.store', 'exposures.channel'],
      people: 'people',
      counts: ['conversions', 'converters'],
      values: ['revenue'],
      partition: false,
    });
  });

  it('picks the fixed SQL of each model', () => {
    const last = compile({ model: 'last_touch' }).sql;
    const first = compile({ model: 'first_touch' }).sql;
    const even = compile({ model: 'even_split' }).sql;
    expect(last).toContain('ORDER BY x.ts DESC, x.campaign ASC NULLS LAST)');
    expect(first).toContain('ORDER BY x.ts ASC, x.campaign ASC NULLS LAST)');
    expect(even).toContain('count(*) OVER (PARTITION BY c.conversion)');
    expect(even).not.toContain('row_number() OVER (PARTITION');
  });

  it('breaks ties on the exposure-side group-by columns after the campaign', () => {
    expect(compile({ group_by: ['transactions.store', 'exposures.channel'] }).sql).toContain('ORDER BY x.ts DESC, x.campaign ASC NULLS LAST, x.g1 ASC NULLS LAST)');
  });

  it('keeps nothing for an empty `in` list', () => {
    const compiled = compile({ channels: [] });
    expect(compiled.sql).toContain('AND false');
    expect(compiled.params).toEqual([30]);
  });

  it('compares date bounds by whole days', () => {
    const { sql } = compile({ purchased_from: '2024-02-03', purchased_to: '2024-02-29' });
    expect(sql).toContain('t."purchased_at" >= CAST(? AS DATE)');
    expect(sql).toContain('t."purchased_at" < CAST(? AS DATE) + INTERVAL 1 DAY');
  });

  it('refuses parameters that bypassed validation', () => {
    const raw = (params: Record<string, unknown>) => () => compileAttribution(t, 'attribution', { model: 'last_touch', lookback_days: 7, ...params });
    expect(codeOf(raw({ model: 'linear' }))).toBe('invalid_argument');
    expect(codeOf(raw({ model: "last_touch'; --" }))).toBe('invalid_argument');
    expect(codeOf(raw({ lookback_days: 0 }))).toBe('invalid_argument');
    expect(codeOf(raw({ lookback_days: 1.5 }))).toBe('invalid_argument');
    expect(codeOf(raw({ lookback_days: '7' }))).toBe('invalid_argument');
    expect(codeOf(raw({ group_by: ['transactions.customer_id'] }))).toBe('invalid_argument');
    expect(codeOf(raw({ group_by: ['transactions.email'] }))).toBe('invalid_argument');
    expect(codeOf(raw({ group_by: 'transactions.store' }))).toBe('invalid_argument');
    expect(codeOf(raw({ channels: 'video' }))).toBe('invalid_argument');
    expect(codeOf(raw({}))).toBeUndefined();
  });

  it('refuses an analysis that is missing or of another kind', () => {
    expect(codeOf(() => compileAttribution(t, 'nope', {}))).toBe('not_found');
    expect(codeOf(() => compileAttribution(t, 'constructor', {}))).toBe('not_found');
    expect(codeOf(() => compileAttribution(t, 'reach', {}))).toBe('invalid_argument');
  });
});
