import { useState } from 'preact/hooks';
import type { Resources } from '../api/resources.js';
import { templateInfo } from '../api/resources.js';
import type { Collaboration, Run } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { SchemaForm } from '../components/schema-form.js';
import type { JsonSchema } from '../components/schema-form.js';

/**
 * The analyses the template allows the party to run, each as a form generated from its
 * parameters' JSON Schema; a started run opens its result.
 *
 * @example
 * ```tsx
 * <AnalysesPanel room={room} collaboration={c} roles={['publisher']} />
 * ```
 */
export function AnalysesPanel({ room, collaboration, roles, onRun }: { room: Resources; collaboration: Collaboration; roles: string[]; onRun: (run: Run) => void }) {
  const { paramsSchemas } = templateInfo(collaboration.template);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<Error>();
  const runnable = Object.entries(collaboration.template.analyses).filter(([, a]) => a.runs.some((role) => roles.includes(role)));
  const start = async (analysis: string, params: Record<string, unknown>): Promise<void> => {
    setBusy(analysis);
    setError(undefined);
    try {
      onRun(await room.startRun(collaboration.id, { analysis, params }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section class="analyses" id="analyses">
      <h3>Analyses</h3>
      {runnable.length === 0 ? <p class="note">Your role runs no analysis in this collaboration.</p> : null}
      {runnable.map(([name, analysis]) => (
        <article key={name} class="analysis" data-analysis={name}>
          <h4>
            {name} <small>({analysis.kind})</small>
          </h4>
          <p class="note">{analysis.description}</p>
          <SchemaForm schema={paramsSchemas[name] as JsonSchema} submitLabel={`Run ${name}`} busy={busy === name} onSubmit={(params) => start(name, params)} />
        </article>
      ))}
      {error ? <ErrorBox error={error} /> : null}
    </section>
  );
}
