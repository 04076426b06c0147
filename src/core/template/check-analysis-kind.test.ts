import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateTemplate } from './validate-template.js';

function ready(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../../../templates/${name}.json`, import.meta.url), 'utf8'));
}

function problemsOf(template: unknown): { code: string; path: string }[] {
  const result = validateTemplate(template);
  return result.ok ? [] : result.problems.map(({ code, path }) => ({ code, path }));
}

type Case = [string, (t: Record<string, any>) => void, string, string];

describe('attribution settings', () => {
  const cases: Case[] = [
    ['an exposure time that is a dimension', (t) => (t.analyses.attribution.exposures.timestamp = 'campaign'), 'wrong_column_role', 'analyses.attribution.exposures.timestamp'],
    ['a campaign column that is missing', (t) => (t.analyses.attribution.exposures.campaign = 'flight'), 'unknown_column', 'analyses.attribution.exposures.campaign'],
    ['a conversion value that is a dimension', (t) => (t.analyses.attribution.conversions.value = 'store'), 'wrong_column_role', 'analyses.attribution.conversions.value'],
    ['exposures and conversions of one owner', (t) => {
      t.analyses.attribution.conversions = { dataset: 'exposures', timestamp: 'exposed_at', value: 'nope' };
    }, 'single_owner', 'analyses.attribution.conversions.dataset'],
    ['a dataset outside the analysis', (t) => (t.analyses.attribution.exposures.dataset = 'impressions'), 'unknown_dataset', 'analyses.attribution.exposures.dataset'],
    ['no lookback parameter', (t) => delete t.analyses.attribution.params.lookback_days, 'missing_param', 'analyses.attribution.params'],
    ['an unbounded lookback', (t) => delete t.analyses.attribution.params.lookback_days.max, 'invalid_param', 'analyses.attribution.params.lookback_days'],
    ['a lookback with neither default nor required', (t) => delete t.analyses.attribution.params.lookback_days.default, 'invalid_param', 'analyses.attribution.params.lookback_days'],
    ['an unknown model', (t) => t.analyses.attribution.params.model.allowedValues.push('linear'), 'invalid_param', 'analyses.attribution.params.model.allowedValues.3'],
    ['a model of the wrong type', (t) => (t.analyses.attribution.params.model = { type: 'integer', description: 'M.', default: 1 }), 'invalid_param', 'analyses.attribution.params.model.type'],
    ['a reserved parameter used as a filter', (t) => (t.analyses.attribution.params.group_by.filter = { column: 'transactions.store', op: 'in' }), 'invalid_param', 'analyses.attribution.params.group_by.filter'],
    ['a date bound that is no date', (t) => (t.analyses.attribution.params.purchased_from.min = '01/01/2024'), 'invalid_param', 'analyses.attribution.params.purchased_from.min'],
    ['a date filter on a measure', (t) => (t.analyses.attribution.params.purchased_from.filter.column = 'transactions.revenue'), 'wrong_column_role', 'analyses.attribution.params.purchased_from.filter.column'],
  ];
  it.each(cases)('reports %s', (_, breakIt, code, path) => {
    const template = ready('offline-sales-attribution');
    breakIt(template);
    expect(problemsOf(template)).toContainEqual({ code, path });
  });
});

describe('lift settings', () => {
  const cases: Case[] = [
    ['an exposed value the column does not allow', (t) => (t.analyses.lift.assignment.exposed = 'treated'), 'invalid_value', 'analyses.lift.assignment.exposed'],
    ['the same value for both groups', (t) => (t.analyses.lift.assignment.holdout = 'exposed'), 'invalid_value', 'analyses.lift.assignment.holdout'],
    ['a group column that is an identifier', (t) => (t.analyses.lift.assignment.column = 'email'), 'wrong_column_role', 'analyses.lift.assignment.column'],
    ['a conversion time that is missing', (t) => (t.analyses.lift.conversions.timestamp = 'at'), 'unknown_column', 'analyses.lift.conversions.timestamp'],
  ];
  it.each(cases)('reports %s', (_, breakIt, code, path) => {
    const template = ready('lift-incrementality');
    breakIt(template);
    expect(problemsOf(template)).toContainEqual({ code, path });
  });
});

describe('activation settings', () => {
  const cases: Case[] = [
    ['a receiver other than the audience owner', (t) => {
      t.roles.team.abilities.push('activates');
      t.datasets.fans.personKey = 'fan_id';
      t.datasets.fans.columns.fan_id = { type: 'string', role: 'person_key', required: true, description: 'F.' };
      t.analyses.fan_riders.receives.push('team');
    }, 'invalid_audience', 'analyses.fan_riders.receives'],
    ['a receiver without activates', (t) => t.analyses.fan_riders.receives.push('team'), 'missing_ability', 'analyses.fan_riders.receives.1'],
    ['an audience without a person key', (t) => (t.analyses.fan_riders.audience = 'fans'), 'invalid_audience', 'analyses.fan_riders.audience'],
    ['an audience outside the analysis', (t) => (t.analyses.fan_riders.audience = 'drivers'), 'unknown_dataset', 'analyses.fan_riders.audience'],
    ['a breakdown of row-level output', (t) => {
      t.analyses.fan_riders.params.group_by = { type: 'string[]', description: 'G.', allowedValues: ['fans.fan_tier'], default: [] };
    }, 'unbound_param', 'analyses.fan_riders.params.group_by'],
    ['a row-level filter on the person key', (t) => {
      t.analyses.fan_riders.params.only = { type: 'string[]', description: 'O.', allowedValues: ['C1'], filter: { column: 'riders.customer_id', op: 'in' } };
    }, 'wrong_column_role', 'analyses.fan_riders.params.only.filter.column'],
  ];
  it.each(cases)('reports %s', (_, breakIt, code, path) => {
    const template = ready('audience-activation');
    breakIt(template);
    expect(problemsOf(template)).toContainEqual({ code, path });
  });
});

describe('overlap settings', () => {
  it('compares exactly two datasets', () => {
    const template = ready('audience-overlap');
    template.datasets.leads = {
      owner: 'partner',
      description: 'Leads.',
      columns: { email: { type: 'string', identifier: 'email', required: true, description: 'E.' } },
    };
    template.analyses.overlap.datasets.push('leads');
    expect(problemsOf(template)).toContainEqual({ code: 'out_of_range', path: 'analyses.overlap.datasets' });
  });

  it('refuses a dataset listed twice', () => {
    const template = ready('audience-overlap');
    template.analyses.overlap.datasets = ['policyholders', 'policyholders'];
    expect(problemsOf(template)).toContainEqual({ code: 'duplicate_value', path: 'analyses.overlap.datasets.1' });
  });
});
