import type { RunPreview } from '../api/types.js';
import { formatPrivacy } from '../components/privacy-format.js';

/**
 * What a run would cost before it runs: its cost and what would remain of the
 * collaboration's and the party's budgets, "cached: free" when an identical run's release
 * would be returned, or why the run would be refused.
 *
 * @example
 * ```tsx
 * <PreviewNote preview={await room.previewRun(c.id, { analysis: 'spend_by_segment', params: {} })} />
 * ```
 */
export function PreviewNote({ preview }: { preview: RunPreview }) {
  if (!preview.dp) {
    return (
      <div class="preview" data-preview data-allowed={String(preview.allowed)} data-cached={String(preview.cached)}>
        <p>This analysis adds no noise and costs no privacy budget.</p>
      </div>
    );
  }
  return (
    <div class={`preview ${preview.allowed ? '' : 'refused'}`} data-preview data-allowed={String(preview.allowed)} data-cached={String(preview.cached)}>
      {preview.cached ? (
        <p>
          <strong>Cached: free.</strong> An identical run{preview.cachedFrom !== null ? ` (${preview.cachedFrom})` : ''} already released this result with these
          parameters and the same data; running again returns that release at no privacy cost.
        </p>
      ) : (
        <p>
          Cost: <strong data-cost>{preview.cost ?? formatPrivacy(preview.charged)}</strong>
        </p>
      )}
      {preview.allowed && preview.remaining !== null ? (
        <p data-would-remain>
          Would remain: the collaboration {formatPrivacy(preview.remaining.collaboration)}; your party {formatPrivacy(preview.remaining.party)}.
        </p>
      ) : null}
      {!preview.allowed ? (
        <p class="error" role="alert" data-refused>
          Refused: {preview.reason ?? 'the budget does not allow this run'}
        </p>
      ) : null}
    </div>
  );
}
