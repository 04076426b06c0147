import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdDifferences } from '../src/core/privacy/difference/hold-differences.js';
import { decodeSketch, differsByFewer, encodeSketch, readSketch, sketchCells, sketchSelect } from '../src/core/privacy/difference/population-sketch.js';
import type { PopulationSketch } from '../src/core/privacy/difference/population-sketch.js';

// The population sketch as DuckDB computes it from SQL (sketchSelect), checked against the
// sets it stands for: every difference of 1 to minPeople − 1 people is caught, the same
// people are never held back, and far-apart populations pass.

const settings = { salt: '0123456789abcdef0123456789abcdef', cells: sketchCells(100) };
let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`CREATE TABLE people AS SELECT 'person-' || i AS person, i FROM range(20000) r(i)`);
});
afterAll(() => connection.closeSync());

/** The sketch of the people `where` selects, each person on several rows (the sketch counts them once). */
async function sketchOf(where: string): Promise<PopulationSketch> {
  const reader = await connection.runAndReadAll(`SELECT ${sketchSelect('person', settings)} FROM (SELECT person FROM people, range(3) WHERE ${where})`);
  const row = reader.getRowObjectsJS()[0]! as Record<string, unknown>;
  return readSketch({ __population: String(row.__population), __fingerprint: String(row.__fingerprint) }, settings.cells)!;
}

describe('population sketches computed in the engine', () => {
  it('count distinct people, once each, whatever their rows', async () => {
    const all = await sketchOf('i < 5000');
    expect(all.people).toBe(5000);
    expect(decodeSketch(encodeSketch(all), all.fingerprint, settings.cells)).toEqual(all);
  });

  it('catch every difference of 1 to 99 people: removed, added, or swapped one for one', async () => {
    const base = await sketchOf('i < 5000');
    for (const d of [1, 2, 7, 50, 99]) {
      expect(differsByFewer(base, await sketchOf(`i < ${5000 - d}`), 100), `${d} removed`).toBe(true);
      expect(differsByFewer(base, await sketchOf(`i < ${5000 + d}`), 100), `${d} added`).toBe(true);
      // The same number of people, d of them others (2d apart): only the cells and the fingerprint see it.
      if (2 * d < 100) expect(differsByFewer(base, await sketchOf(`(i < 5000 AND i >= ${d}) OR (i >= 10000 AND i < ${10000 + d})`), 100), `${d} swapped`).toBe(true);
    }
  });

  it('let the same people through, and populations 100 or more apart', async () => {
    const base = await sketchOf('i < 5000');
    expect(differsByFewer(base, await sketchOf('i < 5000'), 100)).toBe(false);
    expect(differsByFewer(base, await sketchOf('i < 4900'), 100)).toBe(false);
    expect(differsByFewer(base, await sketchOf('(i < 5000 AND i >= 300) OR (i >= 10000 AND i < 10300)'), 100)).toBe(false);
  });

  it('holds back a row that is one person from an earlier one or from a row released before it in the same run', async () => {
    const [a, b, c] = [await sketchOf('i < 3000'), await sketchOf('i < 2999'), await sketchOf('i >= 3000 AND i < 6000')];
    expect([...holdDifferences([{ index: 0, sketch: b }, { index: 1, sketch: c }], [a], 100)]).toEqual([0]);
    expect([...holdDifferences([{ index: 0, sketch: a }, { index: 1, sketch: b }], [], 100)]).toEqual([1]);
    expect([...holdDifferences([{ index: 0, sketch: a }, { index: 1, sketch: a }], [], 100)]).toEqual([]);
  });
});
