import type { Run } from '../api/types.js';
import { formatInstant, formatPrivacy } from '../components/privacy-format.js';

/**
 * What a run's release cost under differential privacy and what remained after it, and
 * whether it came from the cache (an identical earlier run's release, at no cost).
 *
 * @example
 * ```tsx
 * <PrivacyNote run={run} />
 * ```
 */
export function PrivacyNote({ run }: { run: Run }) {
  const privacy = run.result?.privacy;
  const cachedFrom = run.cachedFrom;
  if (privacy === undefined && cachedFrom === undefined) return null;
  return (
    <div class="privacy-note card" data-privacy>
      {cachedFrom !== undefined ? (
        <p data-cached-from={cachedFrom}>
          <strong>From the cache:</strong> this is the release of the identical run{' '}
          <a href={`#/c/${encodeURIComponent(run.collaborationId)}/runs/${encodeURIComponent(cachedFrom)}`}>{cachedFrom}</a>, returned again at no privacy cost
          (the noise is the same, so asking again reveals nothing more).
        </p>
      ) : null}
      {privacy !== undefined ? (
        <>
          <p>
            Privacy cost: <strong data-run-cost>{cachedFrom !== undefined ? 'none (cached)' : privacy.cost}</strong> ({privacy.mechanism} noise).
          </p>
          <p class="note" data-remaining>
            Remaining after this run: the collaboration {formatPrivacy(privacy.remaining.collaboration, privacy.mechanism)}; your party{' '}
            {formatPrivacy(privacy.remaining.party, privacy.mechanism)}
            {privacy.periodEndsAt !== null ? `; budgets start afresh on ${formatInstant(privacy.periodEndsAt)}` : ''}.
          </p>
        </>
      ) : null}
    </div>
  );
}
