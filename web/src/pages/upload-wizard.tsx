import { useState } from 'preact/hooks';
import type { RejectEntry } from '../../../src/core/prepare/prepare-chunk.js';
import { readHeader } from '../../../src/core/prepare/read-header.js';
import type { Resources } from '../api/resources.js';
import type { Collaboration, PrepareReport, UploadAnswer } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { guessMapping, planUpload } from '../prepare/plan-upload.js';
import { prepareInBrowser } from '../prepare/prepare-in-browser.js';
import { createWorkerPool } from '../prepare/worker-pool.js';
import { QualityReport } from './quality-report.js';
import { readKeyFile } from '../blind/blind-key-file.js';
import type { BlindKeyFile } from '../blind/blind-key-file.js';

type Step = 'choose' | 'map' | 'preparing' | 'review' | 'uploaded';

/**
 * The upload wizard of one dataset: choose a CSV, map its columns to the template's,
 * normalise and hash every identifier in this browser (Web Workers, with a progress bar),
 * read the quality report, then upload the prepared file — the only bytes sent.
 *
 * @example
 * ```tsx
 * <UploadWizard room={room} collaboration={c} dataset="transactions" onUploaded={reload} />
 * ```
 */
export function UploadWizard({ room, collaboration, dataset, onUploaded }: { room: Resources; collaboration: Collaboration; dataset: string; onUploaded: () => void }) {
  const spec = collaboration.template.datasets[dataset]!;
  const [step, setStep] = useState<Step>('choose');
  const [file, setFile] = useState<File>();
  const [header, setHeader] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState(0);
  const [prepared, setPrepared] = useState<{ blob: Blob; report: PrepareReport; rejects: RejectEntry[] }>();
  const [answer, setAnswer] = useState<UploadAnswer>();
  const [error, setError] = useState<Error>();
  const doubleBlind = collaboration.template.identity.hashing === 'double-blind';
  const [blindKey, setBlindKey] = useState<BlindKeyFile>();

  const choose = async (chosen: File | undefined): Promise<void> => {
    setError(undefined);
    if (chosen === undefined) return;
    try {
      const head = readHeader(new Uint8Array(await chosen.slice(0, 1 << 20).arrayBuffer()), { atEnd: true, file: chosen.name });
      if (head === undefined) throw new Error(`Cannot read the header of ${chosen.name}`);
      setFile(chosen);
      setHeader(head.header);
      setMapping(guessMapping(head.header, spec));
      setStep('map');
    } catch (e) {
      setError(e as Error);
    }
  };

  const prepare = async (): Promise<void> => {
    if (file === undefined) return;
    setError(undefined);
    if (doubleBlind && blindKey === undefined) {
      setError(new Error('Choose your blind key file first: this collaboration matches double-blind'));
      return;
    }
    setStep('preparing');
    setProgress(0);
    try {
      const workers = Math.min(4, Math.max(1, (navigator.hardwareConcurrency || 2) - 1));
      const result = await prepareInBrowser(file, {
        plan: (h) => planUpload(h, spec, mapping),
        profile: collaboration.template.identity.profile,
        runner: (setup) => createWorkerPool(setup, workers),
        onProgress: (done, total) => setProgress(total === 0 ? 1 : done / total),
        ...(blindKey === undefined ? {} : { blindKey: blindKey.bytes }),
      });
      setPrepared({ blob: result.prepared, report: result.report, rejects: result.rejects });
      setStep('review');
    } catch (e) {
      setError(e as Error);
      setStep('map');
    }
  };

  const upload = async (): Promise<void> => {
    if (prepared === undefined) return;
    setError(undefined);
    try {
      setAnswer(await room.upload(collaboration.id, dataset, prepared.blob, blindKey?.keyCheck));
      setStep('uploaded');
      onUploaded();
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <div class="wizard" data-wizard={dataset} data-step={step}>
      <ol class="steps">
        {(['choose', 'map', 'preparing', 'review', 'uploaded'] as Step[]).map((s) => (
          <li key={s} class={s === step ? 'current' : ''}>
            {s}
          </li>
        ))}
      </ol>
      {step === 'choose' || step === 'map' ? (
        <label>
          CSV file (UTF-8, with a header row)
          <input type="file" name="file" accept=".csv,text/csv" onChange={(e) => choose((e.currentTarget as HTMLInputElement).files?.[0])} />
        </label>
      ) : null}
      {step === 'map' ? (
        <div class="mapping">
          <p>Map each column of the template to a column of {file?.name}. Identifier columns are normalised and hashed here, in your browser; file columns not mapped are not uploaded.</p>
          <table>
            <tbody>
              {Object.entries(spec.columns).map(([name, column]) => (
                <tr key={name}>
                  <th>
                    {name}
                    {column.required ? ' *' : ''}
                  </th>
                  <td>{column.identifier !== undefined ? `identifier (${column.identifier}): hashed in your browser` : column.type}</td>
                  <td>
                    <select
                      name={`map-${name}`}
                      value={mapping[name] ?? ''}
                      onChange={(e) => {
                        const value = (e.currentTarget as HTMLSelectElement).value;
                        setMapping((m) => {
                          const { [name]: _, ...rest } = m;
                          return value === '' ? rest : { ...rest, [name]: value };
                        });
                      }}
                    >
                      <option value="">— not in my file</option>
                      {header.map((h) => (
                        <option key={h} value={h}>
                          {h}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {doubleBlind ? (
            <p>
              <label>
                Your blind key file (it never leaves this browser; the Double-blind exchange panel can make one)
                <input
                  type="file"
                  name="wizard-blind-key"
                  onChange={async (e) => {
                    const chosen = (e.currentTarget as HTMLInputElement).files?.[0];
                    if (chosen === undefined) return;
                    try {
                      setBlindKey(await readKeyFile(chosen));
                    } catch (err) {
                      setError(err as Error);
                    }
                  }}
                />
              </label>{' '}
              {blindKey ? <span data-blind-key-ready>Key read.</span> : null}
            </p>
          ) : null}
          <button type="button" onClick={prepare}>
            Prepare in my browser
          </button>
        </div>
      ) : null}
      {step === 'preparing' ? (
        <p>
          Normalising and hashing… <progress class="prepare-progress" value={progress} max={1} /> {Math.round(progress * 100)}%
        </p>
      ) : null}
      {prepared !== undefined && (step === 'review' || step === 'uploaded') ? <QualityReport report={prepared.report} rejects={prepared.rejects} /> : null}
      {step === 'review' ? (
        <p>
          <button type="button" onClick={upload}>
            Upload the prepared file ({prepared?.blob.size.toLocaleString('en-US')} bytes)
          </button>{' '}
          <button type="button" onClick={() => setStep('map')}>
            Back
          </button>
        </p>
      ) : null}
      {step === 'uploaded' && answer !== undefined && answer.status === 'awaiting_blinding' ? (
        <div class="ok" data-uploaded-blind={answer.batches}>
          <p>Uploaded, blinded with your key: it waits for the other party to blind it a second time ({answer.batches} batches), and is loaded when they have.</p>
        </div>
      ) : null}
      {step === 'uploaded' && answer !== undefined && answer.status === undefined ? (
        <div class="ok" data-uploaded-version={answer.version}>
          <p>
            Uploaded as version {answer.version}: the room stored {(answer.report.rowsStored ?? 0).toLocaleString('en-US')} of {(answer.report.rowsRead ?? 0).toLocaleString('en-US')} rows
            {answer.report.rowsRejected ? `, rejected ${answer.report.rowsRejected.toLocaleString('en-US')}` : ''}
            {answer.report.duplicatesRemoved ? `, removed ${answer.report.duplicatesRemoved.toLocaleString('en-US')} duplicates` : ''}.
          </p>
          {answer.report.rejects && answer.report.rejects.length > 0 ? (
            <ul class="room-rejects">
              {answer.report.rejects.map((r, n) => (
                <li key={n}>
                  line {r.line}, column {r.column}: {r.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
    </div>
  );
}
