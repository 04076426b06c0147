import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paramsJsonSchema, paramsSchema, validateParams } from './params-schema.js';
import type { AnalysisSpec } from './template-types.js';
import { validateTemplate } from './validate-template.js';

function analysis(templateName: string, name: string): AnalysisSpec {
  const json = JSON.parse(readFileSync(new URL(`../../../templates/${templateName}.json`, import.meta.url), 'utf8'));
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const found = result.template.analyses[name];
  if (found === undefined) throw new Error(name);
  return found;
}

const attribution = analysis('offline-sales-attribution', 'attribution');
const eligibility = analysis('clinical-trial-eligibility', 'eligible_count');

describe('paramsSchema', () => {
  it('fills defaults', () => {
    expect(paramsSchema(attribution).parse({})).toEqual({ model: 'last_touch', lookback_days: 30, group_by: [] });
  });

  it('keeps optional parameters absent', () => {
    expect(paramsSchema(attribution).parse({ purchased_from: '2024-01-01' })).toEqual({
      model: 'last_touch',
      lookback_days: 30,
      group_by: [],
      purchased_from: '2024-01-01',
    });
  });

  it('gives each run its own copy of an array default', () => {
    const first = paramsSchema(attribution).parse({}).group_by as string[];
    first.push('transactions.store');
    expect(paramsSchema(attribution).parse({}).group_by).toEqual([]);
  });
});

describe('validateParams', () => {
  it.each([
    [{ lookback_days: 91 }, 'invalid_param', 'lookback_days'],
    [{ lookback_days: 2.5 }, 'invalid_param', 'lookback_days'],
    [{ lookback_days: '30' }, 'invalid_param', 'lookback_days'],
    [{ model: 'linear' }, 'invalid_param', 'model'],
    [{ group_by: ['transactions.customer_id'] }, 'invalid_param', 'group_by.0'],
    [{ group_by: ['transactions.store', 'transactions.store'] }, 'invalid_param', 'group_by'],
    [{ group_by: ['transactions.store', 'transactions.product_code', 'exposures.channel'] }, 'invalid_param', 'group_by'],
    [{ purchased_from: '2024-02-30' }, 'invalid_param', 'purchased_from'],
    [{ email: 'jane@example.com' }, 'unknown_param', 'email'],
  ])('refuses %j as %s at %s', (input, code, path) => {
    const result = validateParams(attribution, input);
    expect(result.ok ? [] : result.problems.map((p) => ({ code: p.code, path: p.path }))).toContainEqual({ code, path });
  });

  it('names a missing required parameter', () => {
    expect(validateParams(eligibility, {})).toEqual({
      ok: false,
      problems: [{ code: 'missing_param', path: 'diagnosis_groups', message: 'Cannot run without parameter diagnosis_groups: it is required' }],
    });
  });

  it('says which value was wrong', () => {
    const result = validateParams(attribution, { lookback_days: 400 });
    expect(result.ok ? '' : result.problems[0]?.message).toBe(
      'Cannot use 400 as parameter lookback_days: Too big: expected number to be <=90',
    );
  });

  it('accepts no parameters at all as {}', () => {
    expect(validateParams(attribution, undefined)).toEqual({
      ok: true,
      params: { model: 'last_touch', lookback_days: 30, group_by: [] },
    });
  });

  it('refuses a non-object', () => {
    expect(validateParams(attribution, ['x']).ok).toBe(false);
  });
});

describe('paramsJsonSchema', () => {
  it('describes each parameter with its bounds and default, requiring only required ones', () => {
    const schema = paramsJsonSchema(eligibility);
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['diagnosis_groups'],
      properties: {
        diagnosis_groups: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { type: 'string', enum: ['E11', 'I10', 'I50', 'J45', 'C50', 'G30', 'M05'] },
        },
        min_age: { type: 'integer', minimum: 18, maximum: 100, default: 18, description: 'Youngest qualifying age.' },
      },
    });
  });

  it('marks dates with the date format', () => {
    expect(paramsJsonSchema(attribution)).toMatchObject({ properties: { purchased_from: { type: 'string', format: 'date' } } });
  });
});
