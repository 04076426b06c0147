import { differsByFewer } from './population-sketch.js';
import type { PopulationSketch } from './population-sketch.js';

/**
 * The difference check of one run (pure): which of its candidate rows (those the crowd
 * minimum alone would release, in release order) must be held back because their people
 * differ from an earlier released row's — or from a row this run releases before them — by
 * at least one and fewer than `minPeople` people. Such a pair of rows would give away the
 * few people in between: one person's revenue, as the difference of two windows, two
 * filters, or a dataset and its re-upload without that person.
 *
 * Returns the indexes (into `candidates`) to hold back.
 *
 * @example
 * ```ts
 * holdDifferences([{ index: 0, sketch: allButOne }], [all], 100); // Set { 0 }
 * ```
 */
export function holdDifferences(candidates: readonly { index: number; sketch: PopulationSketch }[], earlier: readonly PopulationSketch[], minPeople: number): Set<number> {
  const held = new Set<number>();
  const released: PopulationSketch[] = [...earlier];
  for (const { index, sketch } of candidates) {
    if (released.some((other) => differsByFewer(sketch, other, minPeople))) held.add(index);
    else released.push(sketch);
  }
  return held;
}
