import * as Plot from '@observablehq/plot';
import type { GuardedTable } from '../api/types.js';
import { PlotFigure } from '../components/plot-figure.js';

const MEASURES = ['people', 'converters', 'conversions', 'revenue'];

/**
 * Attribution: attributed revenue (and conversions) by each dimension the run grouped by
 * — campaign, store, product — one bar chart per dimension.
 *
 * @example
 * ```tsx
 * <AttributionView table={run.result.tables.attribution} />
 * ```
 */
export function AttributionView({ table }: { table: GuardedTable }) {
  const dimensions = table.columns.filter((c) => !MEASURES.includes(c));
  const measure = table.columns.includes('revenue') ? 'revenue' : 'conversions';
  return (
    <section class="attribution">
      <p class="note">Bars add up the released rows only: suppressed rows are in no bar.</p>
      {dimensions.map((dimension) => {
        const totals = new Map<string, number>();
        for (const row of table.rows) {
          const name = String(row[dimension] ?? '—');
          totals.set(name, (totals.get(name) ?? 0) + Number(row[measure] ?? 0));
        }
        const data = [...totals].map(([name, value]) => ({ name, value }));
        return (
          <PlotFigure
            key={dimension}
            label={`Attributed ${measure} by ${dimension}`}
            deps={[table, dimension]}
            render={() =>
              Plot.plot({
                title: `Attributed ${measure} by ${dimension}`,
                marginLeft: 140,
                height: 50 + 26 * data.length,
                x: { label: measure, grid: true },
                y: { label: null },
                marks: [Plot.barX(data, { y: 'name', x: 'value', sort: { y: '-x' }, tip: true }), Plot.ruleX([0])],
              })
            }
          />
        );
      })}
    </section>
  );
}
