import { findColumn, findColumnRef } from './column-ref.js';
import type { ColumnExpectation } from './column-ref.js';
import { ownEntry } from './names.js';
import type { TemplateProblem } from './template-problem.js';
import type { AnalysisSpec, Template } from './template-types.js';
import type { ColumnRole, ColumnType } from './template-vocabulary.js';

/**
 * Cross-field rules of an analysis kind's fixed settings: every dataset and column they
 * name belongs to the analysis and has the right role (measure, timestamp, dimension);
 * exposures and conversions come from different owners; overlap reads exactly two
 * datasets; an activation's audience has a person key and its owner is the only receiver.
 *
 * @example
 * ```ts
 * checkAnalysisKind(template, 'attribution'); // []
 * ```
 */
export function checkAnalysisKind(template: Template, name: string): TemplateProblem[] {
  const analysis = template.analyses[name];
  if (analysis === undefined) return [];
  const at = `analyses.${name}`;
  const column = (dataset: string, columnName: string, path: string, roles: ColumnRole[], types?: ColumnType[]) =>
    problemOf(findColumn(template, { dataset, column: columnName }, expect(analysis, `${at}.${path}`, roles, types)));
  switch (analysis.kind) {
    case 'aggregate':
      return analysis.measures.flatMap((ref, index) =>
        problemOf(findColumnRef(template, ref, expect(analysis, `${at}.measures.${index}`, ['measure']))),
      );
    case 'overlap':
      return analysis.datasets.length === 2
        ? []
        : [
            {
              code: 'out_of_range',
              path: `${at}.datasets`,
              message: `Cannot compute overlap '${name}' over ${analysis.datasets.length} datasets: an overlap compares exactly two`,
            },
          ];
    case 'attribution': {
      const { exposures, conversions } = analysis;
      return [
        ...datasetProblems(analysis, at, [exposures.dataset, 'exposures.dataset'], [conversions.dataset, 'conversions.dataset']),
        ...column(exposures.dataset, exposures.timestamp, 'exposures.timestamp', ['timestamp']),
        ...column(exposures.dataset, exposures.campaign, 'exposures.campaign', ['dimension']),
        ...column(conversions.dataset, conversions.timestamp, 'conversions.timestamp', ['timestamp']),
        ...column(conversions.dataset, conversions.value, 'conversions.value', ['measure']),
        ...differentOwners(template, at, exposures.dataset, conversions.dataset),
      ];
    }
    case 'lift': {
      const { assignment, conversions } = analysis;
      const problems = [
        ...datasetProblems(analysis, at, [assignment.dataset, 'assignment.dataset'], [conversions.dataset, 'conversions.dataset']),
        ...column(assignment.dataset, assignment.column, 'assignment.column', ['dimension'], ['string']),
        ...column(conversions.dataset, conversions.timestamp, 'conversions.timestamp', ['timestamp']),
        ...(conversions.value === undefined
          ? []
          : column(conversions.dataset, conversions.value, 'conversions.value', ['measure'])),
        ...differentOwners(template, at, assignment.dataset, conversions.dataset),
      ];
      return problems.length > 0 ? problems : checkAssignmentValues(template, at, analysis.assignment);
    }
    case 'activation':
      return checkAudience(template, name, analysis);
    case 'sql':
      return Object.entries(analysis.rules.columns).flatMap(([ref, rule]) => {
        const path = `${at}.rules.columns.${ref}`;
        const roles: ColumnRole[] = [
          ...(rule.join === true ? (['identifier'] as const) : []),
          ...(rule.dimension === true ? (['dimension', 'timestamp'] as const) : []),
          ...((rule.aggregates ?? []).some((f) => f !== 'count_distinct') ? (['measure', 'dimension'] as const) : []),
        ];
        if (rule.join === true && (rule.dimension === true || (rule.aggregates ?? []).some((f) => f !== 'count_distinct'))) {
          return [{ code: 'wrong_column_role' as const, path, message: `Cannot let ${ref} be both a join key and a dimension or measure: identifiers are only joined on or counted distinct` }];
        }
        if (roles.length === 0) return problemOf(findColumnRef(template, ref, expect(analysis, path, ['identifier', 'dimension', 'timestamp', 'measure', 'person_key'])));
        const found = findColumnRef(template, ref, expect(analysis, path, roles));
        if ('problem' in found) return [found.problem];
        if (rule.join === true && !isMatchKeyKind(template, found.column.identifier)) {
          return [{ code: 'wrong_column_role' as const, path, message: `Cannot join on ${ref}: its kind is not a single-kind match key of the template` }];
        }
        return [];
      });
  }
}

function isMatchKeyKind(template: Template, kind: string | undefined): boolean {
  return kind !== undefined && template.identity.matchKeys.some((key) => key.length === 1 && key[0] === kind);
}

function expect(analysis: AnalysisSpec, path: string, roles: ColumnRole[], types?: ColumnType[]): ColumnExpectation {
  return types === undefined ? { datasets: analysis.datasets, roles, path } : { datasets: analysis.datasets, roles, types, path };
}

function problemOf(found: { problem: TemplateProblem } | { column: unknown }): TemplateProblem[] {
  return 'problem' in found ? [found.problem] : [];
}

function datasetProblems(analysis: AnalysisSpec, at: string, ...named: [string, string][]): TemplateProblem[] {
  return named.flatMap(([dataset, field]) =>
    analysis.datasets.includes(dataset)
      ? []
      : [
          {
            code: 'unknown_dataset' as const,
            path: `${at}.${field}`,
            message: `Cannot use dataset '${dataset}' at ${at}.${field}: it is not one of this analysis's datasets (${analysis.datasets.join(', ')})`,
          },
        ],
  );
}

function differentOwners(template: Template, at: string, first: string, second: string): TemplateProblem[] {
  const a = ownEntry(template.datasets, first)?.owner;
  const b = ownEntry(template.datasets, second)?.owner;
  if (a === undefined || b === undefined || a !== b) return [];
  return [
    {
      code: 'single_owner',
      path: `${at}.conversions.dataset`,
      message: `Cannot measure '${first}' against '${second}': both belong to role '${a}'; a clean room joins two owners' data`,
    },
  ];
}

function checkAssignmentValues(
  template: Template,
  at: string,
  assignment: { dataset: string; column: string; exposed: string; holdout: string },
): TemplateProblem[] {
  const column = ownEntry(ownEntry(template.datasets, assignment.dataset)?.columns ?? {}, assignment.column);
  const allowed = column?.allowedValues;
  const problems: TemplateProblem[] = [];
  if (assignment.exposed === assignment.holdout) {
    problems.push({
      code: 'invalid_value',
      path: `${at}.assignment.holdout`,
      message: `Cannot tell the groups apart: exposed and holdout are both '${assignment.holdout}'`,
    });
  }
  for (const group of ['exposed', 'holdout'] as const) {
    if (allowed === undefined || allowed.includes(assignment[group])) continue;
    problems.push({
      code: 'invalid_value',
      path: `${at}.assignment.${group}`,
      message: `Cannot use '${assignment[group]}' as the ${group} value: column ${assignment.dataset}.${assignment.column} allows only ${allowed.join(', ')}`,
    });
  }
  return problems;
}

function checkAudience(template: Template, name: string, analysis: AnalysisSpec & { audience: string }): TemplateProblem[] {
  const path = `analyses.${name}.audience`;
  const dataset = ownEntry(template.datasets, analysis.audience);
  if (dataset === undefined || !analysis.datasets.includes(analysis.audience)) {
    return [
      {
        code: 'unknown_dataset',
        path,
        message: `Cannot deliver an audience from '${analysis.audience}': it is not one of this analysis's datasets (${analysis.datasets.join(', ')})`,
      },
    ];
  }
  if (dataset.personKey === undefined) {
    return [
      {
        code: 'invalid_audience',
        path,
        message: `Cannot deliver an audience from '${analysis.audience}': the dataset has no personKey, so its owner has no own IDs to receive`,
      },
    ];
  }
  if (analysis.receives.length === 1 && analysis.receives[0] === dataset.owner) return [];
  return [
    {
      code: 'invalid_audience',
      path: `analyses.${name}.receives`,
      message: `Cannot deliver the audience of '${analysis.audience}' to ${analysis.receives.join(', ')}: row-level IDs go only to their owner, role '${dataset.owner}'`,
    },
  ];
}
