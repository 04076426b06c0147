import { useEffect, useRef } from 'preact/hooks';

/**
 * A chart drawn by Observable Plot: `render` builds the SVG (re-run when `deps` change),
 * this component mounts it.
 *
 * @example
 * ```tsx
 * <PlotFigure label="Match rate per key" render={() => Plot.barY(rows, { x: 'key', y: 'people' }).plot()} deps={[rows]} />
 * ```
 */
export function PlotFigure({ label, render, deps }: { label: string; render: () => SVGElement | HTMLElement; deps: readonly unknown[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = render();
    host.current?.replaceChildren(node);
    return () => node.remove();
  }, deps);
  return <div class="chart" role="img" aria-label={label} data-chart={label} ref={host} />;
}
