import * as Plot from '@observablehq/plot';
import type { GuardedTable } from '../api/types.js';
import { PlotFigure } from '../components/plot-figure.js';

/**
 * An aggregate grouped by one or more columns (an enrichment by a partner's attributes, spend
 * by segment): the people of each group, one bar chart per grouping column. Ungrouped
 * aggregates are one row and need no chart; measures stay in the table below.
 *
 * @example
 * ```tsx
 * <AggregateView table={run.result.tables.enrich} />
 * ```
 */
export function AggregateView({ table }: { table: GuardedTable }) {
  // Grouping columns are `dataset.column`; a measure's outputs are `dataset.column.sum` / `.mean`.
  const dimensions = table.columns.filter((c) => c !== 'people' && c.split('.').length === 2);
  if (dimensions.length === 0 || table.rows.length === 0) return null;
  return (
    <section class="aggregate">
      <p class="note">Bars add up the released groups only: groups behind too few people are in no bar.</p>
      {dimensions.map((dimension) => {
        const totals = new Map<string, number>();
        for (const row of table.rows) {
          const name = String(row[dimension] ?? '—');
          totals.set(name, (totals.get(name) ?? 0) + Number(row.people ?? 0));
        }
        const data = [...totals].map(([name, value]) => ({ name, value }));
        return (
          <PlotFigure
            key={dimension}
            label={`People by ${dimension}`}
            deps={[table, dimension]}
            render={() =>
              Plot.plot({
                title: `People by ${dimension}`,
                marginLeft: 140,
                height: 50 + 26 * data.length,
                x: { label: 'people', grid: true },
                y: { label: null },
                marks: [Plot.barX(data, { y: 'name', x: 'value', sort: { y: 'y' }, tip: true }), Plot.ruleX([0])],
              })
            }
          />
        );
      })}
    </section>
  );
}
