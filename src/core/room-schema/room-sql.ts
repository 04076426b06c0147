import { CleanRoomError } from '../errors.js';
import type { IdentifierKind } from '../identity/identifier-kind.js';
import type { DatasetSpec, Template } from '../template/index.js';

/**
 * SQL building blocks shared by matching and the analyses: how a dataset's person and
 * match keys are written, and what the room's derived tables are called. Every name that
 * reaches SQL is a validated template name (`[a-z][a-z0-9_]*`) and is still quoted; no
 * caller-supplied value is ever written into SQL text — values are bound parameters.
 */

/**
 * A quoted SQL identifier.
 *
 * @example
 * ```ts
 * ident('purchased_at'); // '"purchased_at"'
 * ```
 */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The dataset's spec, or a CleanRoomError naming it. */
export function datasetSpec(template: Template, dataset: string): DatasetSpec {
  const spec = template.datasets[dataset];
  if (spec === undefined) throw new CleanRoomError('not_found', `Cannot use dataset '${dataset}': the template has no such dataset`, { details: { field: dataset } });
  return spec;
}

/** The dataset's column holding an identifier kind, if any. */
export function identifierColumn(spec: DatasetSpec, kind: IdentifierKind): string | undefined {
  for (const [name, column] of Object.entries(spec.columns)) if (column.identifier === kind) return name;
  return undefined;
}

/**
 * The SQL value of one match key in a dataset's rows, or undefined when the dataset
 * lacks one of its kinds. A composite key (first_name + last_name + zip) joins its parts'
 * hashes with '|'; `||` gives NULL when any part is NULL, so a row with a part missing
 * has no value for that key.
 *
 * @example
 * ```ts
 * keyExpression(spec, ['first_name', 'last_name', 'zip']); // '"first_name" || \'|\' || "last_name" || \'|\' || "zip"'
 * ```
 */
export function keyExpression(spec: DatasetSpec, kinds: readonly IdentifierKind[], alias?: string): string | undefined {
  const parts: string[] = [];
  for (const kind of kinds) {
    const column = identifierColumn(spec, kind);
    if (column === undefined) return undefined;
    parts.push(alias === undefined ? ident(column) : `${alias}.${ident(column)}`);
  }
  return parts.join(" || '|' || ");
}

/**
 * The SQL value that names a dataset row's person: the person-key column when the
 * template declares one, else the row's highest-priority match key (so rows sharing an
 * email are one person).
 *
 * @example
 * ```ts
 * personExpression(template, 'exposures', 'x'); // 'CAST(x."user_id" AS VARCHAR)'
 * ```
 */
export function personExpression(template: Template, dataset: string, alias?: string): string {
  const spec = datasetSpec(template, dataset);
  const prefix = alias === undefined ? '' : `${alias}.`;
  if (spec.personKey !== undefined) return `CAST(${prefix}${ident(spec.personKey)} AS VARCHAR)`;
  const keys = template.identity.matchKeys.map((kinds) => keyExpression(spec, kinds, alias)).filter((k): k is string => k !== undefined);
  if (keys.length === 0) throw new CleanRoomError('invalid_input', `Cannot identify people in dataset '${dataset}': it has no person key and no match key`, { details: { field: dataset } });
  return keys.length === 1 ? keys[0]! : `coalesce(${keys.join(', ')})`;
}

/**
 * The names of a template's match levels, as match tables number them (`k`): each match key
 * (`email`, `first_name+last_name+zip`), then `graph` when the template bridges through an
 * identity graph.
 *
 * @example
 * ```ts
 * matchLevelNames(template); // ['email', 'phone', 'graph']
 * ```
 */
export function matchLevelNames(template: Template): string[] {
  return [...template.identity.matchKeys.map((kinds) => kinds.join('+')), ...(template.identity.graph === undefined ? [] : ['graph'])];
}

/**
 * The room table holding the matched pairs of two datasets: one row per matched person,
 * columns `p_<dataset>` for each side and `k`, the 0-based index of the match key that
 * matched them. The name is the same whichever dataset comes first.
 *
 * @example
 * ```ts
 * matchTable('transactions', 'exposures'); // 'match__exposures__transactions'
 * ```
 */
export function matchTable(a: string, b: string): string {
  const [x, y] = a < b ? [a, b] : [b, a];
  return `match__${x}__${y}`;
}

/** The column of a match table holding a dataset's person. */
export function matchColumn(dataset: string): string {
  return `p_${dataset}`;
}

/** The room table of one dataset's people and their match-key values. */
export function keysTable(dataset: string): string {
  return `keys__${dataset}`;
}

/**
 * The room table holding an activation run's audience.
 *
 * @example
 * ```ts
 * audienceTable('run_7'); // 'audience__run_7'
 * ```
 */
export function audienceTable(runId: string): string {
  return `audience__${runId.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
}
