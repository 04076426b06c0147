import type { Cell } from '../../engine-port.js';
import { coversMinimum } from '../guard-policy.js';
import type { GuardPolicy } from '../guard-policy.js';
import { guardRows } from '../guard-result.js';
import type { GuardedTable } from '../guard-result.js';
import type { ResultShape } from '../result-shape.js';
import { holdDifferences } from './hold-differences.js';
import { readSketch } from './population-sketch.js';
import type { PopulationSketch, SketchSettings } from './population-sketch.js';
import { clearsNoisyThreshold, thresholdNoise } from './noisy-threshold.js';
import type { ReleaseMemory, RememberedRow } from './release-memory.js';

/**
 * The difference check of one thresholded run: guards each of its tables with the crowd
 * minimum and against every row the collaboration released before (any analysis, any
 * parameters, any dataset version) and every row this run releases first; `commit` then
 * remembers what the run released. The caller holds the collaboration's run lock from
 * `open` to `commit`, so two runs cannot both pass against a memory without the other.
 *
 * @example
 * ```ts
 * const check = DifferenceCheck.open(await memories.open(collaboration.id, policy.minPeople), policy, { runId: 'run_9', analysis: 'attribution' });
 * const table = await check.guard('attribution', rows, shape); // rows carry the sketch columns of sketchSelect
 * await check.commit();
 * ```
 */
export class DifferenceCheck {
  readonly #memory: ReleaseMemory;
  readonly #policy: GuardPolicy;
  readonly #run: { runId: string; analysis: string };
  readonly #released: PopulationSketch[] = [];
  readonly #remember: RememberedRow[] = [];

  private constructor(memory: ReleaseMemory, policy: GuardPolicy, run: { runId: string; analysis: string }) {
    this.#memory = memory;
    this.#policy = policy;
    this.#run = run;
  }

  static open(memory: ReleaseMemory, policy: GuardPolicy, run: { runId: string; analysis: string }): DifferenceCheck {
    return new DifferenceCheck(memory, policy, run);
  }

  /** How the compilers sketch people for this room. */
  get settings(): SketchSettings {
    return this.#memory.settings;
  }

  /**
   * Guards one table whose rows carry the sketch columns of each of `suffixes` (custom SQL
   * sketches each protected party's people); a row without them is guarded by the crowd
   * minimum alone. A row is held back when any of its populations differs by too few.
   */
  async guard(table: string, rows: readonly Record<string, Cell>[], shape: ResultShape, suffixes: readonly string[] = ['']): Promise<GuardedTable> {
    const perSuffix = suffixes.map((suffix) => rows.map((row) => readSketch(row, this.settings.cells, suffix)));
    const covers = await this.#coverage(rows, shape, perSuffix[0]!);
    const covered = (index: number): boolean => covers[index]!;
    const held = new Set<number>();
    for (const sketches of perSuffix) {
      const candidates = sketches.flatMap((sketch, index) => (sketch !== undefined && covered(index) ? [{ index, sketch }] : []));
      const earlier = this.#memory.near(candidates.map((c) => c.sketch.people));
      for (const index of holdDifferences(candidates, [...earlier.map((e) => e.sketch), ...this.#released], this.#policy.minPeople)) held.add(index);
    }
    const { table: guarded, released } = guardRows(rows, shape, this.#policy, held, (index) => covers[index]!);
    for (const index of released) {
      perSuffix.forEach((sketches, i) => {
        const sketch = sketches[index];
        if (sketch === undefined) return;
        this.#released.push(sketch);
        this.#remember.push({ ...this.#run, table: `${table}${suffixes[i]}`, row: index, sketch });
      });
    }
    return guarded;
  }

  /**
   * Which rows are enough people: the exact minimum, or under the template's noisy threshold
   * the seeded draw of each row's people (rows without a sketch keep the exact minimum).
   */
  async #coverage(rows: readonly Record<string, Cell>[], shape: ResultShape, sketches: readonly (PopulationSketch | undefined)[]): Promise<boolean[]> {
    const noisy = this.#policy.noisyThreshold;
    return Promise.all(
      rows.map(async (row, index) => {
        const people = Number(row[shape.people] ?? 0);
        const sketch = sketches[index];
        if (noisy === undefined || sketch === undefined) return coversMinimum(people, this.#policy);
        return clearsNoisyThreshold(people, await thresholdNoise(this.settings.salt, sketch, noisy.scale), this.#policy.minPeople, noisy.scale);
      }),
    );
  }

  /** Remembers every row this run released. */
  async commit(): Promise<void> {
    await this.#memory.remember(this.#remember);
  }
}
