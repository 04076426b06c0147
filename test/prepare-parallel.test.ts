import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCustomers } from '../src/cli/demo/generate-customers.js';
import { runCleanroom, tempDir } from './helpers/run-cleanroom.js';

describe('prepare across worker threads', () => {
  const dir = tempDir();
  const input = join(dir, 'customers.csv');
  beforeAll(async () => {
    await generateCustomers(input, { rows: 60_000, seed: 11 });
  });

  it('writes byte-identical output, rejects and counts with 2 workers and with none', async () => {
    const run = async (workers: string) => {
      const out = join(dir, `out-${workers}.csv`);
      const rejects = join(dir, `rejects-${workers}.csv`);
      const r = await runCleanroom(['prepare', '--input', input, '--output', out, '--rejects', rejects, '--workers', workers, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { rows: { read: number; written: number; rejected: number; duplicatesRemoved: number }; identifiers: unknown[]; matchable: unknown[] };
      return { out: readFileSync(out, 'utf8'), rejects: readFileSync(rejects, 'utf8'), rows: report.rows, identifiers: report.identifiers, matchable: report.matchable };
    };
    const serial = await run('0');
    const parallel = await run('2');
    expect(parallel.rows).toEqual(serial.rows);
    expect(parallel.identifiers).toEqual(serial.identifiers);
    expect(parallel.matchable).toEqual(serial.matchable);
    expect(parallel.out === serial.out).toBe(true);
    expect(parallel.rejects === serial.rejects).toBe(true);
    // The generator repeats about 2% of rows exactly and breaks about 3% of values.
    expect(serial.rows.read).toBe(60_000);
    expect(serial.rows.duplicatesRemoved).toBeGreaterThan(900);
    expect(serial.rows.written + serial.rows.rejected + serial.rows.duplicatesRemoved).toBe(60_000);
    expect(serial.out).not.toMatch(/@|\(\d{3}\)/);
  });
});
