import { useState } from 'preact/hooks';
import type { Resources } from '../api/resources.js';
import type { AnalysisSpec, Collaboration, Run, RunPreview } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { SchemaForm } from '../components/schema-form.js';
import type { FieldRenderer, JsonSchema } from '../components/schema-form.js';
import { SqlEditor } from '../components/sql-editor.js';
import { PreviewNote } from './preview-note.js';

/** A preview, for the parameters it was asked for. */
interface Previewed {
  key: string;
  data?: RunPreview;
  error?: Error;
}

/**
 * One analysis the party may run: its form (with the SQL editor and its rules for a `sql`
 * analysis, or the pre-approved query read-only), and under differential privacy a
 * "Preview cost" step: the run button stays disabled until a preview of the current
 * parameters says the budgets allow it.
 *
 * @example
 * ```tsx
 * <AnalysisCard room={room} collaboration={c} roles={['retailer']} name="spend_by_segment" schema={paramsSchemas.spend_by_segment} onRun={open} />
 * ```
 */
export function AnalysisCard({ room, collaboration, roles, name, schema, onRun }: { room: Resources; collaboration: Collaboration; roles: string[]; name: string; schema: JsonSchema; onRun: (run: Run) => void }) {
  const analysis = collaboration.template.analyses[name] as AnalysisSpec;
  const dp = collaboration.template.privacy.dp !== null;
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [preview, setPreview] = useState<Previewed>();
  const [busy, setBusy] = useState<'run' | 'preview'>();
  const [error, setError] = useState<Error>();
  const key = JSON.stringify(values);
  const shown = preview?.key === key ? preview : undefined;
  const runnable = !dp || shown?.data?.allowed === true;
  const editsSql = analysis.kind === 'sql' && analysis.query === undefined;
  const shownError = error ?? shown?.error;

  const ask = async (): Promise<void> => {
    setBusy('preview');
    setError(undefined);
    try {
      setPreview({ key, data: await room.previewRun(collaboration.id, { analysis: name, params: values }) });
    } catch (e) {
      setPreview({ key, error: e as Error });
    } finally {
      setBusy(undefined);
    }
  };
  const start = async (params: Record<string, unknown>): Promise<void> => {
    setBusy('run');
    setError(undefined);
    try {
      onRun(await room.startRun(collaboration.id, { analysis: name, params }));
    } catch (e) {
      setError(e as Error);
      // What remains has changed or the run was refused: preview again before the next try.
      setPreview(undefined);
    } finally {
      setBusy(undefined);
    }
  };
  const fields: Record<string, FieldRenderer> = {};
  for (const [param, spec] of Object.entries(analysis.params)) {
    if (spec.type !== 'sql') continue;
    fields[param] = (value, onChange) => (
      <SqlEditor value={value} onChange={onChange} template={collaboration.template} analysis={name} roles={roles} maxLength={schema.properties?.[param]?.maxLength} error={shownError} />
    );
  }
  return (
    <article class="analysis" data-analysis={name}>
      <h4>
        {name} <small>({analysis.kind})</small>
      </h4>
      <p class="note">{analysis.description}</p>
      {analysis.kind === 'sql' && analysis.query !== undefined ? (
        <div class="sql-approved">
          <p class="note">Pre-approved SQL: you choose only its parameters.</p>
          <pre class="sql-query" data-query>
            {analysis.query}
          </pre>
        </div>
      ) : null}
      <SchemaForm schema={schema} submitLabel={`Run ${name}`} busy={busy === 'run'} submitDisabled={!runnable || busy !== undefined} fields={fields} onValues={setValues} onSubmit={start}>
        {dp ? (
          <>
            <button type="button" class="secondary" disabled={busy !== undefined} onClick={ask}>
              {busy === 'preview' ? 'Previewing…' : 'Preview cost'}
            </button>{' '}
          </>
        ) : null}
      </SchemaForm>
      {dp && shown === undefined ? <p class="note hint">Preview the cost first: a run spends privacy budget.</p> : null}
      {shown?.data !== undefined ? <PreviewNote preview={shown.data} /> : null}
      {shownError !== undefined && !editsSql ? <ErrorBox error={shownError} /> : null}
    </article>
  );
}
