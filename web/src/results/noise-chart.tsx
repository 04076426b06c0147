import * as Plot from '@observablehq/plot';
import type { GuardedTable } from '../api/types.js';
import { noisyColumns } from '../components/noisy-columns.js';
import { PlotFigure } from '../components/plot-figure.js';

/** One noisy value of one group: the released value and its 95% interval. */
interface NoisyPoint {
  group: string;
  value: number;
  low: number;
  high: number;
}

/**
 * The noisy columns of a released table of several groups as charts: one per column, each
 * group's value as a dot with its 95% interval (`<column>.low` to `<column>.high`) as an
 * error bar — the lift view's approach.
 *
 * @example
 * ```tsx
 * <NoiseCharts name="spend_by_segment" table={run.result.tables.spend_by_segment} />
 * ```
 */
export function NoiseCharts({ name, table }: { name: string; table: GuardedTable }) {
  const { shown, noise } = noisyColumns(table);
  const groups = shown.filter((c) => noise[c] === undefined);
  const label = (row: GuardedTable['rows'][number]): string => groups.map((c) => String(row[c] ?? '—')).join(' / ') || 'all';
  const charts = Object.keys(noise)
    .map((column) => ({
      column,
      points: table.rows.flatMap((row): NoisyPoint[] => {
        const [value, low, high] = [row[column], row[`${column}.low`], row[`${column}.high`]];
        return typeof value === 'number' && typeof low === 'number' && typeof high === 'number' ? [{ group: label(row), value, low, high }] : [];
      }),
    }))
    .filter((chart) => chart.points.length > 0);
  // One row (no groups) reads best in its table; charts compare groups.
  if (charts.length === 0 || table.rows.length < 2) return null;
  return (
    <section class="noise-charts" data-noise-charts={name}>
      {charts.map(({ column, points }) => (
        <PlotFigure
          key={column}
          label={`${name}: ${column} with 95% interval`}
          deps={[table, column]}
          render={() =>
            Plot.plot({
              title: `${name}: ${column} (95% interval)`,
              marginLeft: 140,
              height: 60 + 30 * points.length,
              x: { label: `${column} (95% interval)`, grid: true },
              y: { label: null, domain: points.map((p) => p.group) },
              marks: [
                Plot.ruleX([0], { stroke: '#999' }),
                Plot.link(points, { x1: 'low', x2: 'high', y1: 'group', y2: 'group', strokeWidth: 2 }),
                Plot.tickX(points, { x: 'low', y: 'group' }),
                Plot.tickX(points, { x: 'high', y: 'group' }),
                Plot.dot(points, { x: 'value', y: 'group', fill: 'currentColor', r: 4, tip: true, title: (p: NoisyPoint) => `${p.group}: ${p.value} (${p.low} to ${p.high})` }),
              ],
            })
          }
        />
      ))}
    </section>
  );
}
