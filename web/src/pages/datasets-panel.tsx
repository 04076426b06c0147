import { useState } from 'preact/hooks';
import type { Resources } from '../api/resources.js';
import type { Collaboration } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { downloadText } from '../components/download.js';
import { UploadWizard } from './upload-wizard.js';
import { BlindPanel } from '../blind/blind-panel.js';

/**
 * Every dataset of the collaboration: who brings it, its current version (never its rows),
 * its CSV template to download, and the upload wizard for the datasets the party owns.
 *
 * @example
 * ```tsx
 * <DatasetsPanel room={room} collaboration={c} roles={['retailer']} onChange={reload} />
 * ```
 */
export function DatasetsPanel({ room, collaboration, roles, onChange }: { room: Resources; collaboration: Collaboration; roles: string[]; onChange: () => void }) {
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<Error>();
  const attested = (role: string): boolean => collaboration.attestations.some((a) => a.role === role);
  const download = async (dataset: string): Promise<void> => {
    setError(undefined);
    try {
      downloadText(`${dataset}.template.csv`, await room.datasetTemplateCsv(collaboration.id, dataset));
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section class="datasets" id="datasets">
      <h3>Datasets</h3>
      {error ? <ErrorBox error={error} /> : null}
      {collaboration.template.identity.hashing === 'double-blind' ? <BlindPanel room={room} collaboration={collaboration} onChange={onChange} /> : null}
      {Object.entries(collaboration.template.datasets).map(([name, spec]) => {
        const state = collaboration.datasets[name];
        const mine = roles.includes(spec.owner);
        return (
          <article key={name} class="dataset" data-dataset={name}>
            <h4>
              {name} <small>brought by the {spec.owner}</small>
            </h4>
            <p class="note">{spec.description}</p>
            <p data-dataset-state>{state ? `Version ${state.version}: ${state.rows.toLocaleString('en-US')} rows, uploaded ${state.at}` : 'Not uploaded yet.'}</p>
            <p>
              <button type="button" onClick={() => download(name)}>
                Download the CSV template
              </button>{' '}
              {mine ? (
                attested(spec.owner) ? (
                  <button type="button" onClick={() => setOpen(open === name ? undefined : name)}>
                    {state ? 'Upload a new version' : 'Upload'}
                  </button>
                ) : (
                  <span class="note">Accept the data-use terms before you upload.</span>
                )
              ) : null}
            </p>
            {open === name ? <UploadWizard room={room} collaboration={collaboration} dataset={name} onUploaded={onChange} /> : null}
          </article>
        );
      })}
    </section>
  );
}
