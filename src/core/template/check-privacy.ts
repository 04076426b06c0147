import { ownEntry } from './names.js';
import type { TemplateProblem } from './template-problem.js';
import type { Template } from './template-types.js';

/**
 * Cross-field rules of the privacy policy: every reviewer is a declared role that owns a
 * dataset (review is the data owner's, before release).
 *
 * @example
 * ```ts
 * checkPrivacy(template); // [] when every reviewer owns data
 * ```
 */
export function checkPrivacy(template: Template): TemplateProblem[] {
  return template.privacy.reviewBy.flatMap((roleName, index): TemplateProblem[] => {
    const path = `privacy.reviewBy.${index}`;
    if (ownEntry(template.roles, roleName) === undefined) {
      return [
        {
          code: 'unknown_role',
          path,
          message: `Cannot let role '${roleName}' review results: no such role (roles: ${Object.keys(template.roles).join(', ')})`,
        },
      ];
    }
    if (Object.values(template.datasets).some((dataset) => dataset.owner === roleName)) return [];
    return [
      {
        code: 'reviewer_without_dataset',
        path,
        message: `Cannot let role '${roleName}' review results: review belongs to data owners, and it owns no dataset`,
      },
    ];
  });
}
