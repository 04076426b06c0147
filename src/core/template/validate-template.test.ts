import { describe, expect, it } from 'vitest';
import { validateTemplate } from './validate-template.js';

/** A small valid template; every test mutates its own copy. */
function minimal(): Record<string, any> {
  return {
    name: 'mini',
    title: 'Mini',
    description: 'A shop and a media owner.',
    version: '1.0.0',
    roles: {
      shop: { abilities: ['contributes', 'runs', 'receives'], description: 'The shop.' },
      media: { abilities: ['contributes', 'receives'], description: 'The media owner.' },
    },
    datasets: {
      sales: {
        owner: 'shop',
        description: 'Sales.',
        personKey: 'customer_id',
        columns: {
          customer_id: { type: 'string', required: true, description: 'Own ID.' },
          amount: { type: 'decimal', role: 'measure', required: true, range: [0, 1000], description: 'Amount.' },
          region: { type: 'string', role: 'dimension', required: true, allowedValues: ['north', 'south'], description: 'Region.' },
          sold_at: { type: 'timestamp', role: 'timestamp', required: true, description: 'When.' },
          email: { type: 'string', identifier: 'email', required: false, description: 'Email.' },
          phone: { type: 'string', identifier: 'phone', required: false, description: 'Phone.' },
        },
      },
      visits: {
        owner: 'media',
        description: 'Visits.',
        columns: {
          email: { type: 'string', identifier: 'email', required: true, description: 'Email.' },
          channel: { type: 'string', role: 'dimension', required: true, description: 'Channel.' },
        },
      },
    },
    identity: { profile: 'default', hashing: 'client', matchKeys: [['email']] },
    analyses: {
      totals: {
        kind: 'aggregate',
        description: 'Sales of visitors.',
        datasets: ['sales', 'visits'],
        runs: ['shop'],
        receives: ['shop', 'media'],
        measures: ['sales.amount'],
        params: {
          group_by: { type: 'string[]', description: 'Breakdown.', allowedValues: ['sales.region', 'visits.channel'], default: [] },
          regions: {
            type: 'string[]',
            description: 'Regions.',
            allowedValues: ['north', 'south'],
            filter: { column: 'sales.region', op: 'in' },
          },
        },
      },
    },
    retentionDays: 30,
    terms: { version: '1', text: 'Use for measurement only.' },
  };
}

function problemsOf(template: unknown): { code: string; path: string }[] {
  const result = validateTemplate(template);
  if (result.ok) throw new Error('expected problems, the template validated');
  return result.problems.map(({ code, path }) => ({ code, path }));
}

describe('validateTemplate on a valid template', () => {
  it('returns the template with defaults filled in', () => {
    const result = validateTemplate(minimal());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.template.privacy).toEqual({ minPeople: 100, rounding: null, reviewBy: [], dp: null });
  });

  it('accepts a composite match key over the street line', () => {
    const template = minimal();
    for (const dataset of ['sales', 'visits']) {
      for (const kind of ['first_name', 'last_name', 'address', 'zip']) {
        template.datasets[dataset].columns[kind] = { type: 'string', identifier: kind, required: false, description: kind };
      }
    }
    template.identity.matchKeys.push(['first_name', 'last_name', 'address', 'zip']);
    const result = validateTemplate(template);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.template.identity.matchKeys[1]).toEqual(['first_name', 'last_name', 'address', 'zip']);
  });

  it('writes out the implied identifier and person-key roles', () => {
    const result = validateTemplate(minimal());
    if (!result.ok) throw new Error('invalid');
    expect(result.template.datasets.sales?.columns.email?.role).toBe('identifier');
    expect(result.template.datasets.sales?.columns.customer_id?.role).toBe('person_key');
  });

  it('returns a deeply frozen template whose maps have no inherited keys', () => {
    const result = validateTemplate(minimal());
    if (!result.ok) throw new Error('invalid');
    expect(Object.isFrozen(result.template.datasets.sales?.columns.amount?.range)).toBe(true);
    expect(result.template.datasets['constructor']).toBeUndefined();
    expect(result.template.roles['toString']).toBeUndefined();
  });

  it('does not change the input document', () => {
    const input = minimal();
    validateTemplate(input);
    expect(input).toEqual(minimal());
  });
});

describe('validateTemplate on a broken template', () => {
  const cases: [string, (t: Record<string, any>) => void, string, string][] = [
    ['an owner that is no role', (t) => (t.datasets.sales.owner = 'ghost'), 'unknown_role', 'datasets.sales.owner'],
    ['an owner without contributes', (t) => (t.roles.media.abilities = ['receives']), 'owner_without_contributes', 'datasets.visits.owner'],
    ['a match key only one owner holds', (t) => t.identity.matchKeys.push(['phone']), 'match_key_unmatched', 'identity.matchKeys.1'],
    ['a match key no dataset holds', (t) => t.identity.matchKeys.push(['first_name', 'last_name']), 'match_key_unmatched', 'identity.matchKeys.1'],
    ['a match key listed twice', (t) => t.identity.matchKeys.push(['email']), 'duplicate_match_key', 'identity.matchKeys.1'],
    ['a measure on a missing column', (t) => (t.analyses.totals.measures = ['sales.profit']), 'unknown_column', 'analyses.totals.measures.0'],
    ['a measure that is a dimension', (t) => (t.analyses.totals.measures = ['sales.region']), 'wrong_column_role', 'analyses.totals.measures.0'],
    ['minPeople 1', (t) => (t.privacy = { minPeople: 1 }), 'out_of_range', 'privacy.minPeople'],
    ['minPeople 50.5', (t) => (t.privacy = { minPeople: 50.5 }), 'invalid_type', 'privacy.minPeople'],
    ['a misspelt field', (t) => (t.privacy = { minPeopel: 10 }), 'unknown_field', 'privacy.minPeopel'],
    ['a missing field', (t) => delete t.roles.shop.description, 'missing_field', 'roles.shop.description'],
    ['a name with capitals', (t) => (t.roles.Shop = t.roles.shop), 'invalid_name', 'roles.Shop'],
    ['an Object.prototype name', (t) => (t.datasets.constructor = t.datasets.visits), 'invalid_name', 'datasets.constructor'],
    ['a path-like name', (t) => (t.datasets['../x'] = t.datasets.visits), 'invalid_name', 'datasets.../x'],
    ['an unknown analysis kind', (t) => (t.analyses.totals.kind = 'regression'), 'invalid_value', 'analyses.totals.kind'],
    ['a version that is not semver', (t) => (t.version = 'v1'), 'invalid_format', 'version'],
    ['an unknown identifier kind', (t) => (t.identity.matchKeys = [['ssn']]), 'invalid_value', 'identity.matchKeys.0.0'],
    ['a differential-privacy section without a budget', (t) => (t.privacy = { dp: { mechanism: 'laplace' } }), 'missing_field', 'privacy.dp.budget'],
    ['a misspelt differential-privacy field', (t) => (t.privacy = { dp: { budget: { epsilon: 1 }, epsilon: 1 } }), 'unknown_field', 'privacy.dp.epsilon'],
    ['an analysis without its DP cost', (t) => (t.privacy = { dp: { budget: { epsilon: 1 } } }), 'missing_field', 'analyses.totals.dp'],
    ['DP settings without a DP policy', (t) => (t.analyses.totals.dp = { epsilon: 1 }), 'invalid_value', 'analyses.totals.dp'],
    ['no roles', (t) => (t.roles = {}), 'out_of_range', 'roles'],
    ['an ability listed twice', (t) => t.roles.shop.abilities.push('runs'), 'duplicate_value', 'roles.shop.abilities'],
    ['a runner without runs', (t) => (t.analyses.totals.runs = ['media']), 'missing_ability', 'analyses.totals.runs.0'],
    ['a receiver that is no role', (t) => t.analyses.totals.receives.push('press'), 'unknown_role', 'analyses.totals.receives.2'],
    ['an analysis over a missing dataset', (t) => t.analyses.totals.datasets.push('returns'), 'unknown_dataset', 'analyses.totals.datasets.2'],
    ['an analysis over one owner', (t) => {
      t.datasets.visits.owner = 'shop';
      t.roles.media.abilities = ['receives'];
      t.identity.matchKeys = [['email']];
    }, 'single_owner', 'analyses.totals.datasets'],
    ['grouping by an identifier', (t) => t.analyses.totals.params.group_by.allowedValues.push('sales.email'), 'wrong_column_role', 'analyses.totals.params.group_by.allowedValues.2'],
    ['grouping by a person key', (t) => t.analyses.totals.params.group_by.allowedValues.push('sales.customer_id'), 'wrong_column_role', 'analyses.totals.params.group_by.allowedValues.2'],
    ['a filter on an identifier', (t) => (t.analyses.totals.params.regions.filter.column = 'visits.email'), 'wrong_column_role', 'analyses.totals.params.regions.filter.column'],
    ['a filter on a missing column', (t) => (t.analyses.totals.params.regions.filter.column = 'sales.area'), 'unknown_column', 'analyses.totals.params.regions.filter.column'],
    ['a filter value the column refuses', (t) => t.analyses.totals.params.regions.allowedValues.push('east'), 'invalid_param', 'analyses.totals.params.regions.allowedValues.2'],
    ['a filter operator that fits no column', (t) => (t.analyses.totals.params.regions.filter.op = 'gte'), 'invalid_param', 'analyses.totals.params.regions.filter.op'],
    ['a parameter with no meaning', (t) => (t.analyses.totals.params.top = { type: 'integer', description: 'Top n.' }), 'unbound_param', 'analyses.totals.params.top'],
    ['an enum without allowed values', (t) => (t.analyses.totals.params.regions = { type: 'enum', description: 'R.', filter: { column: 'sales.region', op: 'eq' } }), 'invalid_param', 'analyses.totals.params.regions.allowedValues'],
    ['a default outside the allowed values', (t) => (t.analyses.totals.params.regions.default = ['west']), 'invalid_default', 'analyses.totals.params.regions.default'],
    ['a default on a required parameter', (t) => Object.assign(t.analyses.totals.params.regions, { default: ['north'], required: true }), 'invalid_param', 'analyses.totals.params.regions.required'],
    ['bounds the wrong way round', (t) => (t.analyses.totals.params.min_amount = { type: 'number', description: 'M.', min: 10, max: 1, filter: { column: 'sales.amount', op: 'gte' } }), 'invalid_param', 'analyses.totals.params.min_amount.min'],
    ['an identifier column with another role', (t) => (t.datasets.sales.columns.email.role = 'dimension'), 'invalid_column', 'datasets.sales.columns.email.role'],
    ['a measure of type string', (t) => (t.datasets.sales.columns.amount.type = 'string'), 'invalid_column', 'datasets.sales.columns.amount.type'],
    ['a range the wrong way round', (t) => (t.datasets.sales.columns.amount.range = [10, 1]), 'invalid_column', 'datasets.sales.columns.amount.range'],
    ['allowed values on a number', (t) => (t.datasets.sales.columns.amount.allowedValues = ['1']), 'invalid_column', 'datasets.sales.columns.amount.allowedValues'],
    ['two columns of one identifier kind', (t) => (t.datasets.sales.columns.email2 = { type: 'string', identifier: 'email', required: false, description: 'E.' }), 'duplicate_identifier_kind', 'datasets.sales.columns.email2.identifier'],
    ['a person key that is no column', (t) => (t.datasets.sales.personKey = 'client_id'), 'invalid_person_key', 'datasets.sales.personKey'],
    ['an optional person key', (t) => (t.datasets.sales.columns.customer_id.required = false), 'invalid_person_key', 'datasets.sales.personKey'],
    ['a dataset no match key reaches', (t) => {
      t.datasets.extra = { owner: 'media', description: 'X.', columns: { phone: { type: 'string', identifier: 'phone', required: true, description: 'P.' } } };
    }, 'dataset_unmatchable', 'datasets.extra.columns'],
    ['a contributor without a dataset', (t) => (t.roles.auditor = { abilities: ['contributes'], description: 'A.' }), 'contributor_without_dataset', 'roles.auditor.abilities'],
    ['activates without a person key', (t) => t.roles.media.abilities.push('activates'), 'activates_without_person_key', 'roles.media.abilities'],
    ['a reviewer that is no role', (t) => (t.privacy = { reviewBy: ['board'] }), 'unknown_role', 'privacy.reviewBy.0'],
    ['a reviewer without data', (t) => {
      t.roles.board = { abilities: ['receives'], description: 'B.' };
      t.privacy = { reviewBy: ['board'] };
    }, 'reviewer_without_dataset', 'privacy.reviewBy.0'],
  ];

  it.each(cases)('reports %s', (_, breakIt, code, path) => {
    const template = minimal();
    breakIt(template);
    expect(problemsOf(template)).toContainEqual({ code, path });
  });

  it('returns every problem, not only the first', () => {
    const template = minimal();
    template.datasets.sales.owner = 'ghost';
    template.analyses.totals.runs = ['media'];
    expect(problemsOf(template)).toEqual([
      { code: 'unknown_role', path: 'datasets.sales.owner' },
      { code: 'contributor_without_dataset', path: 'roles.shop.abilities' },
      { code: 'missing_ability', path: 'analyses.totals.runs.0' },
    ]);
  });

  it('says what, where and the value that was wrong', () => {
    const template = minimal();
    template.privacy = { minPeople: 1 };
    const result = validateTemplate(template);
    expect(result.ok ? [] : result.problems).toEqual([
      {
        code: 'out_of_range',
        path: 'privacy.minPeople',
        message: 'Cannot accept privacy.minPeople: Too small: expected number to be >=2; current value is 1',
      },
    ]);
  });

  it.each([null, 42, 'template', []])('refuses %j as a document', (json) => {
    expect(problemsOf(json)).toEqual([{ code: 'invalid_type', path: '' }]);
  });
});
