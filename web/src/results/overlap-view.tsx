import * as Plot from '@observablehq/plot';
import type { RunResult } from '../api/types.js';
import { percent } from '../components/format.js';
import { noisyColumns } from '../components/noisy-columns.js';
import { PlotFigure } from '../components/plot-figure.js';

/**
 * Overlap: the matched share of each side per match key (a grouped bar chart, with the
 * 95% interval of each noisy share as an error bar), and the match rates the room reported.
 *
 * @example
 * ```tsx
 * <OverlapView result={run.result} />
 * ```
 */
export function OverlapView({ result }: { result: RunResult }) {
  const byKey = result.tables.byKey;
  const shares = (byKey?.rows ?? []).flatMap((row) =>
    (byKey === undefined ? [] : noisyColumns(byKey).shown)
      .filter((c) => c.startsWith('share_of_'))
      .map((c) => ({ key: String(row.key), side: c.slice('share_of_'.length), share: Number(row[c] ?? 0), people: Number(row.people ?? 0), low: bound(row[`${c}.low`]), high: bound(row[`${c}.high`]) })),
  );
  // Under differential privacy each share has its 95% interval: drawn as an error bar on its bar.
  const intervals = shares.filter((s): s is typeof s & { low: number; high: number } => s.low !== null && s.high !== null);
  const match = result.match;
  return (
    <section class="overlap">
      {shares.length > 0 ? (
        <PlotFigure
          label="Overlap per match key"
          deps={[result]}
          render={() =>
            Plot.plot({
              marginLeft: 60,
              height: 260,
              y: { label: 'share of each side', tickFormat: '%', grid: true },
              fx: { label: 'match key' },
              x: { axis: null },
              color: { legend: true },
              marks: [
                Plot.barY(shares, { fx: 'key', x: 'side', y: 'share', fill: 'side', tip: true }),
                Plot.ruleY([0]),
                ...(intervals.length > 0 ? [Plot.ruleX(intervals, { fx: 'key', x: 'side', y1: 'low', y2: 'high', stroke: '#1d2330', strokeWidth: 1.5 }), Plot.tickY(intervals, { fx: 'key', x: 'side', y: 'low', insetLeft: 14, insetRight: 14 }), Plot.tickY(intervals, { fx: 'key', x: 'side', y: 'high', insetLeft: 14, insetRight: 14 })] : []),
              ],
            })
          }
        />
      ) : (
        <p class="note">No per-key overlap row was released.</p>
      )}
      {match !== undefined ? (
        <div class="match-rates">
          <h4>Match rates</h4>
          <p>
            {match.matched.toLocaleString('en-US')} matched people;{' '}
            {Object.entries(match.rate)
              .map(([dataset, rate]) => `${percent(rate)} of ${dataset}`)
              .join(', ')}
          </p>
          <PlotFigure
            label="Matches per key"
            deps={[match]}
            render={() => Plot.plot({ marginLeft: 120, height: 40 + 30 * match.byKey.length, x: { label: 'matched pairs', grid: true }, marks: [Plot.barX(match.byKey, { y: 'key', x: 'matched', tip: true }), Plot.ruleX([0])] })}
          />
        </div>
      ) : null}
    </section>
  );
}

function bound(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
