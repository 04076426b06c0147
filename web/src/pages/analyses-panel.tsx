import type { Resources } from '../api/resources.js';
import { templateInfo } from '../api/resources.js';
import type { Collaboration, Run } from '../api/types.js';
import type { JsonSchema } from '../components/schema-form.js';
import { AnalysisCard } from './analysis-card.js';

/**
 * The analyses the template allows the party to run, each as a form generated from its
 * parameters' JSON Schema (custom SQL in its editor); a started run opens its result.
 *
 * @example
 * ```tsx
 * <AnalysesPanel room={room} collaboration={c} roles={['publisher']} onRun={open} />
 * ```
 */
export function AnalysesPanel({ room, collaboration, roles, onRun }: { room: Resources; collaboration: Collaboration; roles: string[]; onRun: (run: Run) => void }) {
  const { paramsSchemas } = templateInfo(collaboration.template);
  const runnable = Object.entries(collaboration.template.analyses).filter(([, a]) => a.runs.some((role) => roles.includes(role)));
  return (
    <section class="analyses" id="analyses">
      <h3>Analyses</h3>
      {runnable.length === 0 ? <p class="note">Your role runs no analysis in this collaboration.</p> : null}
      {runnable.map(([name]) => (
        <AnalysisCard key={name} room={room} collaboration={collaboration} roles={roles} name={name} schema={paramsSchemas[name] as JsonSchema} onRun={onRun} />
      ))}
    </section>
  );
}
