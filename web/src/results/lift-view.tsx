import * as Plot from '@observablehq/plot';
import { percent } from '../components/format.js';
import { PlotFigure } from '../components/plot-figure.js';

interface Estimate {
  value: number;
  ci95: [number, number];
}

/** A lift group as the room's summary holds it. */
interface LiftGroupView {
  group: Record<string, unknown>;
  statistics: { exposedRate: number; holdoutRate: number; relativeLift: Estimate; incrementalConverters: Estimate; incrementalRevenue: Estimate; pValue: number };
}

/**
 * Lift: the relative lift of each group with its 95% confidence interval as error bars,
 * and the figures behind it.
 *
 * @example
 * ```tsx
 * <LiftView summary={run.result.summary} />
 * ```
 */
export function LiftView({ summary }: { summary: Record<string, unknown> | undefined }) {
  const groups = (summary?.groups ?? []) as LiftGroupView[];
  if (groups.length === 0) return <p class="note">No lift group was released.</p>;
  const label = (g: LiftGroupView): string => Object.values(g.group).map(String).join(' / ') || 'all';
  const points = groups.map((g) => ({ group: label(g), value: g.statistics.relativeLift.value, low: g.statistics.relativeLift.ci95[0], high: g.statistics.relativeLift.ci95[1] }));
  return (
    <section class="lift">
      <PlotFigure
        label="Relative lift with 95% confidence interval"
        deps={[summary]}
        render={() =>
          Plot.plot({
            marginLeft: 120,
            height: 60 + 40 * points.length,
            x: { label: 'relative lift (95% CI)', tickFormat: '+%', grid: true },
            y: { label: null },
            marks: [Plot.ruleX([0], { stroke: '#999' }), Plot.link(points, { x1: 'low', x2: 'high', y1: 'group', y2: 'group', strokeWidth: 2 }), Plot.tickX(points, { x: 'low', y: 'group' }), Plot.tickX(points, { x: 'high', y: 'group' }), Plot.dot(points, { x: 'value', y: 'group', fill: 'currentColor', r: 4, tip: true })],
          })
        }
      />
      <table>
        <thead>
          <tr>
            <th>group</th>
            <th>exposed rate</th>
            <th>holdout rate</th>
            <th>relative lift (95% CI)</th>
            <th>incremental converters (95% CI)</th>
            <th>incremental revenue (95% CI)</th>
            <th>p-value</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={label(g)}>
              <td>{label(g)}</td>
              <td>{percent(g.statistics.exposedRate)}</td>
              <td>{percent(g.statistics.holdoutRate)}</td>
              <td>{interval(g.statistics.relativeLift, percent)}</td>
              <td>{interval(g.statistics.incrementalConverters, round)}</td>
              <td>{interval(g.statistics.incrementalRevenue, round)}</td>
              <td>{g.statistics.pValue.toPrecision(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function round(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function interval(estimate: Estimate, format: (value: number) => string): string {
  return `${format(estimate.value)} (${format(estimate.ci95[0])} to ${format(estimate.ci95[1])})`;
}
