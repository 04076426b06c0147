import type { z } from 'zod';
import { jsonPath, valueAtPath } from './json-path.js';

/**
 * Every problem code `validateTemplate` can return. Shape codes come first (from the
 * schema), then the cross-field rules. Consumers match on the code, never on the message.
 *
 * @example
 * ```ts
 * TEMPLATE_PROBLEM_CODES.includes('unknown_role'); // true
 * ```
 */
export const TEMPLATE_PROBLEM_CODES = [
  // shape
  'missing_field',
  'unknown_field',
  'invalid_type',
  'invalid_value',
  'invalid_format',
  'invalid_name',
  'out_of_range',
  'duplicate_value',
  // roles and datasets
  'unknown_role',
  'owner_without_contributes',
  'contributor_without_dataset',
  'invalid_column',
  'invalid_person_key',
  'duplicate_identifier_kind',
  'dataset_unmatchable',
  'graph_unknown',
  'graph_without_person',
  'graph_owner_contributes',
  'graph_analysed',
  'double_blind_parties',
  // identity
  'duplicate_match_key',
  'match_key_unmatched',
  // analyses
  'unknown_dataset',
  'unknown_column',
  'wrong_column_role',
  'single_owner',
  'missing_ability',
  'activates_without_person_key',
  'invalid_audience',
  'missing_param',
  'unbound_param',
  'invalid_param',
  'invalid_default',
  // privacy
  'reviewer_without_dataset',
] as const;
export type TemplateProblemCode = (typeof TEMPLATE_PROBLEM_CODES)[number];

/**
 * One thing wrong with a template: a stable code, the JSON path of the offending value
 * (dot-separated, array indices as numbers: `identity.matchKeys.2`; `''` for the root) and
 * a message for people.
 *
 * @example
 * ```ts
 * const problem: TemplateProblem = {
 *   code: 'out_of_range',
 *   path: 'privacy.minPeople',
 *   message: 'Cannot accept privacy.minPeople: Too small: expected number to be >=2; current value is 1',
 * };
 * ```
 */
export interface TemplateProblem {
  code: TemplateProblemCode;
  path: string;
  message: string;
}


/**
 * Turns zod's issues into template problems, one per offending value (an unknown-fields
 * issue becomes one problem per field). `input` is the document that was parsed, used to
 * tell a missing field from a wrongly typed one.
 *
 * @example
 * ```ts
 * const parsed = templateSchema.safeParse(json);
 * if (!parsed.success) problemsFromZod(parsed.error.issues, json);
 * ```
 */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[], input: unknown): TemplateProblem[] {
  return issues.flatMap((issue) => fromIssue(issue, input));
}

function fromIssue(issue: z.core.$ZodIssue, input: unknown): TemplateProblem[] {
  const path = jsonPath(issue.path);
  const where = path === '' ? 'the template' : path;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        code: 'unknown_field',
        path: jsonPath([...issue.path, key]),
        message: `Cannot accept field '${key}' in ${where}: the template format has no such field`,
      }));
    case 'invalid_type': {
      const missing = valueAtPath(input, issue.path) === undefined;
      return [
        missing
          ? { code: 'missing_field', path, message: `Cannot read ${where}: the field is required and missing` }
          : { code: 'invalid_type', path, message: `Cannot read ${where}: ${issue.message}` },
      ];
    }
    case 'invalid_key':
      return [{ code: 'invalid_name', path, message: nameMessage(issue.path) }];
    case 'too_small':
    case 'too_big':
      return [
        {
          code: 'out_of_range',
          path,
          message: `Cannot accept ${where}: ${issue.message}; current value is ${describe(valueAtPath(input, issue.path))}`,
        },
      ];
    case 'invalid_format':
      return [{ code: 'invalid_format', path, message: `Cannot accept ${where}: ${issue.message}` }];
    case 'custom':
      return [customProblem(issue, path, where)];
    default:
      return [
        {
          code: 'invalid_value',
          path,
          message: `Cannot accept ${where}: ${issue.message}; current value is ${describe(valueAtPath(input, issue.path))}`,
        },
      ];
  }
}

function customProblem(issue: z.core.$ZodIssueCustom, path: string, where: string): TemplateProblem {
  const problem: unknown = issue.params?.['problem'];
  const code: TemplateProblemCode = isProblemCode(problem) ? problem : 'invalid_value';
  return { code, path, message: `Cannot accept ${where}: ${issue.message}` };
}

function isProblemCode(value: unknown): value is TemplateProblemCode {
  return typeof value === 'string' && (TEMPLATE_PROBLEM_CODES as readonly string[]).includes(value);
}

function nameMessage(path: readonly PropertyKey[]): string {
  const name = String(path[path.length - 1]);
  return `Cannot use '${name}' as a name in ${jsonPath(path.slice(0, -1))}: expected lower-case snake_case starting with a letter, at most 63 characters, not an Object.prototype member`;
}


function describe(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
