import type { Run } from '../api/types.js';
import { GuardedTableView } from '../components/guarded-table.js';
import { AggregateView } from './aggregate-view.js';
import { AttributionView } from './attribution-view.js';
import { LiftView } from './lift-view.js';
import { NoiseCharts } from './noise-chart.js';
import { OverlapView } from './overlap-view.js';
import { PrivacyNote } from './privacy-note.js';

/**
 * A run's outcome: its status and reason, what it cost under differential privacy (or that
 * it came from the cache), the charts of its kind, and every released table with its
 * suppressions (noisy values with their 95% intervals, as error bars too).
 *
 * @example
 * ```tsx
 * <RunResultView run={run} name={(id) => id} />
 * ```
 */
export function RunResultView({ run, name = (id) => id }: { run: Run; name?: (party: string) => string }) {
  const result = run.result;
  return (
    <div class="run-result" data-status={run.status}>
      <p>
        <span class={`status status-${run.status}`}>{run.status}</span> {run.analysis} ({run.kind}) by {name(run.by)} at {run.at}
        {run.reason !== null ? <span class="reason"> — {run.reason}</span> : null}
      </p>
      <PrivacyNote run={run} />
      {result === null ? (
        <p class="note">{run.status === 'pending' ? 'The result waits for the data owner’s review.' : 'No result is released to you for this run.'}</p>
      ) : (
        <>
          {run.kind === 'overlap' ? <OverlapView result={result} /> : null}
          {/* A noisy attribution is charted with its intervals by NoiseCharts below; bars of noisy sums would hide them. */}
          {run.kind === 'attribution' && result.tables[run.analysis] !== undefined && result.tables[run.analysis]!.noise === undefined ? <AttributionView table={result.tables[run.analysis]!} /> : null}
          {run.kind === 'lift' ? <LiftView summary={result.summary} /> : null}
          {/* Likewise a noisy aggregate is charted with its intervals by NoiseCharts. */}
          {run.kind === 'aggregate' && result.tables[run.analysis] !== undefined && result.tables[run.analysis]!.noise === undefined ? <AggregateView table={result.tables[run.analysis]!} /> : null}
          {result.audience !== undefined ? <p>The audience holds {result.audience.people.toLocaleString('en-US')} of your {result.audience.dataset} person keys.</p> : null}
          {Object.entries(result.tables).map(([name, table]) => (
            <div key={name}>
              {charted(run, name) ? null : <NoiseCharts name={name} table={table} />}
              <GuardedTableView name={name} table={table} />
            </div>
          ))}
        </>
      )}
    </div>
  );
}

/** Tables the kind's own view already charts, error bars included (overlap's shares per key). */
function charted(run: Run, table: string): boolean {
  return run.kind === 'overlap' && table === 'byKey';
}
