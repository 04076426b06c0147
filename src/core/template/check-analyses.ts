import { checkAnalysisKind } from './check-analysis-kind.js';
import { checkParams } from './check-params.js';
import { ownEntry } from './names.js';
import type { TemplateProblem } from './template-problem.js';
import type { AnalysisSpec, Template } from './template-types.js';
import type { Ability } from './template-vocabulary.js';

/**
 * Cross-field rules of the analyses: datasets exist and span at least two owners; roles
 * that run or receive exist and have the ability (`activates` for an activation's
 * receiver); the kind's settings and the parameters are consistent (see
 * `checkAnalysisKind`, `checkParams`).
 *
 * @example
 * ```ts
 * checkAnalyses(template); // [] when every analysis can run
 * ```
 */
export function checkAnalyses(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const [name, analysis] of Object.entries(template.analyses)) {
    const datasetProblems = checkDatasets(template, name, analysis);
    problems.push(...datasetProblems);
    problems.push(...checkRoles(template, name, analysis, 'runs', 'runs'));
    problems.push(
      ...checkRoles(template, name, analysis, 'receives', analysis.kind === 'activation' ? 'activates' : 'receives'),
    );
    // Column references cannot be judged against datasets that do not exist.
    if (datasetProblems.some((problem) => problem.code === 'unknown_dataset')) continue;
    problems.push(...checkAnalysisKind(template, name), ...checkParams(template, name));
  }
  return problems;
}

function checkDatasets(template: Template, name: string, analysis: AnalysisSpec): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const owners = new Set<string>();
  analysis.datasets.forEach((datasetName, index) => {
    const dataset = ownEntry(template.datasets, datasetName);
    if (dataset === undefined) {
      problems.push({
        code: 'unknown_dataset',
        path: `analyses.${name}.datasets.${index}`,
        message: `Cannot analyse dataset '${datasetName}' in '${name}': no such dataset (datasets: ${Object.keys(template.datasets).join(', ')})`,
      });
      return;
    }
    if (analysis.datasets.indexOf(datasetName) !== index) {
      problems.push({
        code: 'duplicate_value',
        path: `analyses.${name}.datasets.${index}`,
        message: `Cannot list dataset '${datasetName}' twice in analysis '${name}'`,
      });
    }
    owners.add(dataset.owner);
  });
  if (problems.length === 0 && owners.size < 2) {
    problems.push({
      code: 'single_owner',
      path: `analyses.${name}.datasets`,
      message: `Cannot run '${name}' over one owner's data: its datasets must belong to at least two roles, all belong to ${[...owners].join(', ')}`,
    });
  }
  return problems;
}

function checkRoles(
  template: Template,
  name: string,
  analysis: AnalysisSpec,
  field: 'runs' | 'receives',
  ability: Ability,
): TemplateProblem[] {
  return analysis[field].flatMap((roleName, index): TemplateProblem[] => {
    const path = `analyses.${name}.${field}.${index}`;
    const role = ownEntry(template.roles, roleName);
    if (role === undefined) {
      return [
        {
          code: 'unknown_role',
          path,
          message: `Cannot let role '${roleName}' use analysis '${name}': no such role (roles: ${Object.keys(template.roles).join(', ')})`,
        },
      ];
    }
    if (role.abilities.includes(ability)) return [];
    return [
      {
        code: 'missing_ability',
        path,
        message: `Cannot list role '${roleName}' in ${field} of analysis '${name}': the role lacks the '${ability}' ability (abilities: ${role.abilities.join(', ')})`,
      },
    ];
  });
}
