import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../errors.js';
import { datasetColumnOrder, datasetCsvHeader, datasetCsvTemplate, exampleValue } from './dataset-csv.js';
import type { Template } from './template-types.js';
import { validateTemplate } from './validate-template.js';

function ready(name: string): Template {
  const result = validateTemplate(JSON.parse(readFileSync(new URL(`../../../templates/${name}.json`, import.meta.url), 'utf8')));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

const attribution = ready('offline-sales-attribution');

describe('datasetCsvHeader', () => {
  it('puts required columns first, each group in template order', () => {
    const json = JSON.parse(readFileSync(new URL('../../../templates/offline-sales-attribution.json', import.meta.url), 'utf8'));
    json.datasets.exposures.columns = { email: json.datasets.exposures.columns.email, ...json.datasets.exposures.columns };
    const result = validateTemplate(json);
    if (!result.ok) throw new Error('invalid');
    expect(datasetColumnOrder(result.template, 'exposures')).toEqual([
      'user_id', 'campaign', 'exposed_at', 'email', 'channel', 'phone', 'first_name', 'last_name', 'zip',
    ]);
  });

  it('joins the names with commas', () => {
    expect(datasetCsvHeader(attribution, 'transactions')).toBe(
      'customer_id,revenue,store,product_code,purchased_at,email,phone,first_name,last_name,zip',
    );
  });

  it.each(['returns', 'constructor', '../templates'])('refuses the unknown dataset %j as not_found', (name) => {
    expect(() => datasetCsvHeader(attribution, name)).toThrow(CleanRoomError);
    try {
      datasetCsvHeader(attribution, name);
    } catch (error) {
      expect((error as CleanRoomError).code).toBe('not_found');
    }
  });
});

describe('datasetCsvTemplate', () => {
  it('adds one commented example row', () => {
    expect(datasetCsvTemplate(attribution, 'transactions')).toBe(
      'customer_id,revenue,store,product_code,purchased_at,email,phone,first_name,last_name,zip\n' +
        '# C100123,19.99,store_1,product_code_1,2024-05-01T12:00:00Z,jane.doe@example.com,+14155550123,Jane,Doe,94043\n',
    );
  });

  it('uses allowed values and the middle of integer ranges', () => {
    expect(datasetCsvTemplate(ready('clinical-trial-eligibility'), 'patients').split('\n')[1]).toBe(
      '# C100123,E11,60,jane.doe@example.com,+14155550123,Jane,Doe,1985-05-03',
    );
  });
});

describe('exampleValue', () => {
  it('keeps decimals inside the range', () => {
    expect(exampleValue('fee', { type: 'decimal', role: 'measure', required: true, range: [100, 200], description: 'Fee.' })).toBe('100');
  });

  it('writes a boolean and a date', () => {
    expect(exampleValue('flag', { type: 'boolean', role: 'dimension', required: true, description: 'F.' })).toBe('true');
    expect(exampleValue('day', { type: 'date', role: 'timestamp', required: true, description: 'D.' })).toBe('2024-05-01');
  });
});
