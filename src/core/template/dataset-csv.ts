import type { IdentifierKind } from '../identity/identifier-kind.js';
import { CleanRoomError } from '../errors.js';
import { ownEntry } from './names.js';
import type { ColumnSpec, DatasetSpec, Template } from './template-types.js';

const EXAMPLE_IDENTIFIERS: Readonly<Record<IdentifierKind, string>> = Object.freeze({
  email: 'jane.doe@example.com',
  phone: '+14155550123',
  first_name: 'Jane',
  last_name: 'Doe',
  address: '123 Main St Apt 4B',
  city: 'Springfield',
  state: 'CA',
  zip: '94043',
  country: 'US',
  dob: '1985-05-03',
  gender: 'F',
  external_id: 'ref-000123',
});

/**
 * The column names of a dataset in the order of its CSV header template: required
 * columns first, then optional ones, each in the template's order.
 *
 * @example
 * ```ts
 * datasetColumnOrder(template, 'transactions'); // ['customer_id', 'revenue', ..., 'email', 'phone']
 * ```
 */
export function datasetColumnOrder(template: Template, datasetName: string): string[] {
  const columns = Object.entries(getDataset(template, datasetName).columns);
  return [...columns.filter(([, c]) => c.required), ...columns.filter(([, c]) => !c.required)].map(([name]) => name);
}

/**
 * The header line of a dataset's downloadable CSV template (no line break). Column names
 * are template names, so they never need quoting.
 *
 * @example
 * ```ts
 * datasetCsvHeader(template, 'exposures'); // 'campaign,exposed_at,email,phone,first_name,last_name,zip'
 * ```
 */
export function datasetCsvHeader(template: Template, datasetName: string): string {
  return datasetColumnOrder(template, datasetName).join(',');
}

/**
 * A dataset's downloadable CSV template: the header, then one example row commented out
 * with `# ` so the party sees the expected formats. The example shows raw values: with
 * `identity.hashing: 'client'` the party fills the template with raw values and runs
 * `cleanroom prepare`, which hashes the identifier columns under the same names. Lines
 * starting with `#` are not data: delete the example row before uploading.
 *
 * @example
 * ```ts
 * datasetCsvTemplate(template, 'exposures');
 * // 'campaign,exposed_at,email\n# spring_sale,2024-05-01T12:00:00Z,jane.doe@example.com\n'
 * ```
 */
export function datasetCsvTemplate(template: Template, datasetName: string): string {
  const dataset = getDataset(template, datasetName);
  const order = datasetColumnOrder(template, datasetName);
  const example = order.map((name) => csvCell(exampleValue(name, dataset.columns[name] as ColumnSpec)));
  return `${order.join(',')}\n# ${example.join(',')}\n`;
}

/**
 * An example value for a column, as a party would write it in a CSV file: an allowed
 * value, a value inside the range, a sample identifier of the column's kind.
 *
 * @example
 * ```ts
 * exampleValue('revenue', { type: 'decimal', role: 'measure', required: true, range: [0, 5000], description: 'Revenue' });
 * // '19.99'
 * ```
 */
export function exampleValue(name: string, column: ColumnSpec): string {
  if (column.identifier !== undefined) return EXAMPLE_IDENTIFIERS[column.identifier];
  if (column.allowedValues?.[0] !== undefined) return column.allowedValues[0];
  if (column.role === 'person_key') return column.type === 'integer' ? '100123' : 'C100123';
  switch (column.type) {
    case 'integer':
      return String(column.range === undefined ? 1 : Math.round((column.range[0] + column.range[1]) / 2));
    case 'decimal':
      return String(clamp(19.99, column.range));
    case 'boolean':
      return 'true';
    case 'date':
      return '2024-05-01';
    case 'timestamp':
      return '2024-05-01T12:00:00Z';
    case 'string':
      return `${name}_1`;
  }
}

function clamp(value: number, range: [number, number] | undefined): number {
  if (range === undefined) return value;
  return Math.min(Math.max(value, range[0]), range[1]);
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function getDataset(template: Template, datasetName: string): DatasetSpec {
  const dataset = ownEntry(template.datasets, datasetName);
  if (dataset !== undefined) return dataset;
  throw new CleanRoomError(
    'not_found',
    `Cannot find dataset '${datasetName}' in template ${template.name}: its datasets are ${Object.keys(template.datasets).join(', ')}`,
    { details: { template: template.name, dataset: datasetName } },
  );
}
