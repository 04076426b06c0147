import { ApiError } from '../api/api-error.js';
import type { Template } from '../api/types.js';
import { ErrorBox } from './error-box.js';
import { sqlRules } from './sql-rules.js';

const AGGREGATE_SQL: Record<string, string> = { count: 'count()', count_distinct: 'count(DISTINCT)', sum: 'sum()', avg: 'avg()' };

/**
 * The editor of a party's own SQL: a monospace text area, with the data owners' rules
 * summarised beside it (what may be joined, grouped and filtered, aggregated how) and,
 * under it, why the server refused the last query (rule, tree node, column).
 *
 * @example
 * ```tsx
 * <SqlEditor value={sql} onChange={setSql} template={c.template} analysis="custom_sql" roles={['retailer']} error={refusal} />
 * ```
 */
export function SqlEditor({ value, onChange, template, analysis, roles, maxLength, error }: { value: unknown; onChange: (sql: string | undefined) => void; template: Template; analysis: string; roles: readonly string[]; maxLength?: number; error?: Error | undefined }) {
  const rules = sqlRules(template, analysis, roles);
  const text = typeof value === 'string' ? value : '';
  // A refused query carries the checker's refusal: which rule, where in the tree, which column.
  const sent = error instanceof ApiError ? error.details.refusal : undefined;
  const refusal = sent !== null && typeof sent === 'object' ? (sent as Record<string, unknown>) : {};
  const where = ['rule', 'node', 'column'].filter((k) => typeof refusal[k] === 'string').map((k) => `${k}: ${String(refusal[k])}`);
  return (
    <div class="sql-editor">
      <div class="sql-input">
        <label>
          <span class="label">Your SQL *</span>
          <textarea
            name="sql"
            spellcheck={false}
            rows={9}
            maxLength={maxLength}
            placeholder={'SELECT r.segment, count(DISTINCT p.email) AS buyers\nFROM purchases p JOIN readers r ON p.email = r.email\nGROUP BY r.segment'}
            value={text}
            onInput={(e) => onChange((e.currentTarget as HTMLTextAreaElement).value || undefined)}
          />
        </label>
        {error ? (
          <div class="sql-refusal" data-refusal>
            <ErrorBox error={error} />
            {where.length > 0 ? <p class="note">{where.join(' · ')}</p> : null}
          </div>
        ) : null}
      </div>
      <aside class="sql-rules" aria-label="What your SQL may do">
        <h5>What your SQL may do</h5>
        <table>
          <thead>
            <tr>
              <th>column</th>
              <th>may be used for</th>
            </tr>
          </thead>
          <tbody>
            {rules.columns.map((c) => (
              <tr key={c.ref} data-rule-column={c.ref} class={c.join || c.dimension || c.aggregates.length > 0 ? '' : 'unusable'}>
                <td>
                  <code>{c.ref}</code> <small>({c.owner})</small>
                </td>
                <td>{uses(c.join, c.dimension, c.aggregates)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ul class="note">
          {rules.mustJoinOwnData ? <li>Join one of your datasets with another party's, on a join column with =.</li> : <li>Inner joins on join columns with = only.</li>}
          <li>Functions: {rules.scalarFunctions.join(', ')}; aggregates only as listed above.</li>
          <li>One SELECT: no WITH, subqueries, UNION, ORDER BY, LIMIT, DISTINCT or window functions; name every computed column with AS.</li>
          <li>
            {template.privacy.dp !== null
              ? 'Every output value is noised; groups by values the template does not list are released only when their noisy count of people is large enough.'
              : `Each output row must cover at least ${template.privacy.minPeople} people.`}
          </li>
        </ul>
      </aside>
    </div>
  );
}

function uses(join: boolean, dimension: boolean, aggregates: readonly string[]): string {
  const out: string[] = [];
  if (join) out.push('join on (=)');
  if (dimension) out.push('group by, filter');
  if (aggregates.length > 0) out.push(aggregates.map((a) => AGGREGATE_SQL[a] ?? a).join(', '));
  return out.length === 0 ? 'nothing: never read' : out.join('; ');
}
