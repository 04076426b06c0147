import { ownEntry } from './names.js';
import type { TemplateProblem } from './template-problem.js';
import type { ColumnSpec, DatasetSpec, Template } from './template-types.js';
import { ROLE_TYPES } from './template-vocabulary.js';

/**
 * Cross-field rules of roles and datasets: every owner is a declared role with
 * `contributes`; every contributor owns a dataset; `activates` only for a role owning a
 * dataset with a person key; columns are consistent (identifier kind ⇔ identifier role,
 * role ⇔ type, allowed values on strings, ranges on numbers); one column per identifier
 * kind; the person key names a required string or integer column.
 *
 * @example
 * ```ts
 * checkDatasets(template); // [] when consistent
 * ```
 */
export function checkDatasets(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const [name, dataset] of Object.entries(template.datasets)) {
    problems.push(...checkOwner(template, name, dataset), ...checkColumns(name, dataset), ...checkPersonKey(name, dataset));
  }
  problems.push(...checkRoles(template));
  return problems;
}

function checkOwner(template: Template, name: string, dataset: DatasetSpec): TemplateProblem[] {
  const path = `datasets.${name}.owner`;
  const role = ownEntry(template.roles, dataset.owner);
  if (role === undefined) {
    return [
      {
        code: 'unknown_role',
        path,
        message: `Cannot make role '${dataset.owner}' the owner of dataset '${name}': no such role (roles: ${Object.keys(template.roles).join(', ')})`,
      },
    ];
  }
  if (!role.abilities.includes('contributes')) {
    return [
      {
        code: 'owner_without_contributes',
        path,
        message: `Cannot make role '${dataset.owner}' the owner of dataset '${name}': the role lacks the 'contributes' ability (abilities: ${role.abilities.join(', ')})`,
      },
    ];
  }
  return [];
}

function checkColumns(name: string, dataset: DatasetSpec): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const kinds = new Map<string, string>();
  for (const [columnName, column] of Object.entries(dataset.columns)) {
    const path = `datasets.${name}.columns.${columnName}`;
    problems.push(...checkColumn(path, column));
    if (column.role === 'person_key' && dataset.personKey !== columnName) {
      problems.push({
        code: 'invalid_person_key',
        path: `${path}.role`,
        message: `Cannot give column '${columnName}' the person_key role: dataset '${name}' names ${dataset.personKey === undefined ? 'no personKey' : `'${dataset.personKey}' as its personKey`}`,
      });
    }
    if (column.identifier === undefined) continue;
    const earlier = kinds.get(column.identifier);
    if (earlier !== undefined) {
      problems.push({
        code: 'duplicate_identifier_kind',
        path: `${path}.identifier`,
        message: `Cannot use column '${columnName}' as a second ${column.identifier} identifier of dataset '${name}': column '${earlier}' already is one`,
      });
    }
    kinds.set(column.identifier, columnName);
  }
  return problems;
}

function checkColumn(path: string, column: ColumnSpec): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const invalid = (field: string, message: string): void => {
    problems.push({ code: 'invalid_column', path: `${path}.${field}`, message: `Cannot accept ${path}.${field}: ${message}` });
  };
  if (column.identifier !== undefined && column.role !== 'identifier') {
    invalid('role', `an identifier column has the identifier role, not ${column.role ?? 'none'}`);
  } else if (column.role === 'identifier' && column.identifier === undefined) {
    invalid('identifier', 'a column with the identifier role must name its identifier kind');
  }
  if (column.role !== undefined && !ROLE_TYPES[column.role].includes(column.type)) {
    invalid('type', `a ${column.role} column must be of type ${ROLE_TYPES[column.role].join(' or ')}, not ${column.type}`);
  }
  if (column.allowedValues !== undefined && column.type !== 'string') {
    invalid('allowedValues', `allowed values apply to string columns only; this column is ${column.type}`);
  }
  if (column.allowedValues !== undefined && column.role === 'identifier') {
    invalid('allowedValues', 'identifier columns cannot list allowed values');
  }
  if (column.range !== undefined) {
    if (column.type !== 'integer' && column.type !== 'decimal') {
      invalid('range', `a range applies to integer and decimal columns only; this column is ${column.type}`);
    } else if (column.range[0] > column.range[1]) {
      invalid('range', `the minimum ${column.range[0]} is above the maximum ${column.range[1]}`);
    }
  }
  return problems;
}

function checkPersonKey(name: string, dataset: DatasetSpec): TemplateProblem[] {
  if (dataset.personKey === undefined) return [];
  const path = `datasets.${name}.personKey`;
  const column = ownEntry(dataset.columns, dataset.personKey);
  const problem = (message: string): TemplateProblem[] => [
    { code: 'invalid_person_key', path, message: `Cannot use '${dataset.personKey}' as the person key of dataset '${name}': ${message}` },
  ];
  if (column === undefined) return problem('the dataset has no such column');
  if (column.identifier !== undefined) return problem('it is an identifier column; a person key is the owner\'s own ID, never matched');
  if (column.role !== 'person_key') return problem(`its role is ${column.role ?? 'none'}, expected person_key`);
  if (!column.required) return problem('a person key column must be required');
  return [];
}

function checkRoles(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const owned = Object.values(template.datasets);
  for (const [roleName, role] of Object.entries(template.roles)) {
    const datasets = owned.filter((dataset) => dataset.owner === roleName);
    const path = `roles.${roleName}.abilities`;
    if (role.abilities.includes('contributes') && datasets.length === 0) {
      problems.push({
        code: 'contributor_without_dataset',
        path,
        message: `Cannot give role '${roleName}' the 'contributes' ability: it owns no dataset`,
      });
    }
    if (role.abilities.includes('activates') && !datasets.some((dataset) => dataset.personKey !== undefined)) {
      problems.push({
        code: 'activates_without_person_key',
        path,
        message: `Cannot give role '${roleName}' the 'activates' ability: it owns no dataset with a personKey, so there are no own IDs to deliver`,
      });
    }
  }
  return problems;
}
