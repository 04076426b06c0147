import { useState } from 'preact/hooks';
import type { BlindStatus } from '../../../src/core/ingest/blind-upload.js';
import type { Resources } from '../api/resources.js';
import type { Collaboration } from '../api/types.js';
import { downloadText } from '../components/download.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { newKeyFileText, readKeyFile } from './blind-key-file.js';
import type { BlindKeyFile } from './blind-key-file.js';
import { syncInBrowser } from './run-sync.js';

/**
 * The double-blind exchange of a collaboration: what waits for this party's second blinding
 * and what of its own waits for the other party, the party's blind key (a file, never sent),
 * and the step that blinds every waiting batch in a Web Worker with a progress bar.
 *
 * @example
 * ```tsx
 * <BlindPanel room={room} collaboration={c} onChange={reload} />
 * ```
 */
export function BlindPanel({ room, collaboration, onChange }: { room: Resources; collaboration: Collaboration; onChange: () => void }) {
  const status = useLoad<BlindStatus>(() => room.blindStatus(collaboration.id), [collaboration.id]);
  const [key, setKey] = useState<BlindKeyFile>();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<Error>();
  const waiting = status.data?.toBlind.reduce((n, u) => n + u.waiting.length, 0) ?? 0;

  const chooseKey = async (file: File | undefined): Promise<void> => {
    setError(undefined);
    if (file === undefined) return;
    try {
      setKey(await readKeyFile(file));
    } catch (e) {
      setError(e as Error);
    }
  };

  const sync = async (): Promise<void> => {
    if (key === undefined) return;
    setError(undefined);
    setMessage(undefined);
    try {
      const result = await syncInBrowser(room, collaboration.id, key, (done, total) => setProgress({ done, total }));
      setMessage(`Blinded ${result.answered} batches.${result.loaded.length > 0 ? ` Loaded: ${result.loaded.join(', ')}.` : ''}${result.failed.length > 0 ? ` Failed: ${result.failed.join('; ')}` : ''}`);
      status.reload();
      onChange();
    } catch (e) {
      setError(e as Error);
      status.reload();
    }
  };

  return (
    <section class="blind" id="blind" data-blind>
      <h3>Double-blind exchange</h3>
      <p class="note">
        Identifiers are blinded with your own secret key before they leave this browser, and you blind the other party's values a second time; nobody, the room's operator included, can test a guessed
        identifier. Keep your key file: the same key is needed for every upload and exchange of this collaboration.
      </p>
      {error ? <ErrorBox error={error} /> : null}
      {status.error ? <ErrorBox error={status.error} /> : null}
      {status.data ? (
        <div>
          <p data-blind-waiting={waiting}>
            {waiting === 0 ? 'Nothing waits for your blinding.' : `${waiting} batches of the other party's uploads wait for your blinding.`}
          </p>
          {status.data.mine.map((m) => (
            <p key={`${m.dataset}-${m.upload}`} data-blind-mine={m.dataset}>
              Your upload of {m.dataset} waits for the other party: {m.waiting} of {m.batches} batches.
            </p>
          ))}
        </div>
      ) : null}
      <label>
        Your blind key file
        <input type="file" name="blind-key" onChange={(e) => chooseKey((e.currentTarget as HTMLInputElement).files?.[0])} />
      </label>{' '}
      {key ? <span data-blind-key-ready>Key read.</span> : null}{' '}
      <button type="button" onClick={async () => downloadText('blind.key', await newKeyFileText())}>
        Make a new key file
      </button>
      <p>
        <button type="button" name="blind-sync" disabled={key === undefined || waiting === 0 || (progress !== undefined && progress.done < progress.total)} onClick={sync}>
          Blind the waiting batches
        </button>
      </p>
      {progress ? (
        <p>
          <progress data-blind-progress value={progress.done} max={Math.max(1, progress.total)} /> {progress.done} / {progress.total}
        </p>
      ) : null}
      {message ? <p data-blind-done>{message}</p> : null}
    </section>
  );
}
