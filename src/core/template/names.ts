import { z } from 'zod';

const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const SLUG = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Is `name` usable as a role, dataset, column, analysis or parameter name? Lower-case
 * snake_case, at most 63 characters, starting with a letter — safe as a quoted SQL
 * identifier, a URL segment and a file name — and not a member of `Object.prototype`
 * (`constructor`, `toString`, …), so a lookup can never find an inherited property.
 *
 * @example
 * ```ts
 * isTemplateName('purchased_at'); // true
 * isTemplateName('constructor');  // false
 * isTemplateName('../etc');       // false
 * ```
 */
export function isTemplateName(name: string): boolean {
  return NAME.test(name) && !(name in Object.prototype);
}

/**
 * The zod schema of a name (see {@link isTemplateName}).
 *
 * @example
 * ```ts
 * nameSchema.safeParse('exposures').success; // true
 * ```
 */
export const nameSchema = z
  .string()
  .refine(isTemplateName, {
    message: 'expected a lower-case snake_case name starting with a letter, at most 63 characters',
    params: { problem: 'invalid_name' },
  });

/**
 * The zod schema of a template's own name: a lower-case slug with hyphens, the file name
 * of a ready template.
 *
 * @example
 * ```ts
 * slugSchema.safeParse('audience-overlap').success; // true
 * ```
 */
export const slugSchema = z
  .string()
  .regex(SLUG, 'Invalid template name: expected a lower-case slug such as audience-overlap');

/**
 * A record value by its own key only — never an inherited property.
 *
 * @example
 * ```ts
 * ownEntry({ a: 1 }, 'a');           // 1
 * ownEntry({ a: 1 }, 'constructor'); // undefined
 * ```
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
