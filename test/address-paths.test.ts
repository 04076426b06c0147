import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from '../src/core/csv/read-csv-records.js';
import { csvField } from '../src/core/prepare/csv-field.js';
import type { DatasetSpec } from '../src/core/template/index.js';
import { prepareFile } from '../src/node/prepare/prepare-file.js';
import { planUpload } from '../web/src/prepare/plan-upload.js';
import { prepareInBrowser } from '../web/src/prepare/prepare-in-browser.js';
import { createInlineRunner } from '../web/src/prepare/worker-pool.js';
import { runCleanroom, tempDir } from './helpers/run-cleanroom.js';

// The street line through every path a value takes to its hash — `cleanroom normalize`,
// `cleanroom prepare`, the browser's preparation and the in-room (streamed upload)
// preparation — gives the SHA-256 of the Pub. 28 value, or a blank where it is no street line.
const CASES: [raw: string, normalized: string | null][] = [
  ['123 North Main Street, Apartment 4B', '123 n main st apt 4b'],
  ['123 N. Main Str. #4b', '123 n main st apt 4b'],
  ['500 Twenty-Third Avenue Suite 200', '500 23rd ave ste 200'],
  ['7 Main St. N.W.', '7 main st nw'],
  ['9 Calle José Martí', '9 calle jose marti'],
  ['PO Box 12', null],
  ['Springfield', null],
];
const expected = CASES.map(([, v]) => (v === null ? null : createHash('sha256').update(v).digest('hex')));
const csv = `case,value\n${CASES.map(([raw], i) => `${i},${csvField(raw)}`).join('\n')}\n`;
const dir = tempDir('cleanroom-address-paths-');

function hashesOf(prepared: string): (string | null)[] {
  const out: (string | null)[] = CASES.map(() => null);
  readCsvRecords(prepared, {
    firstLine: 1,
    onRecord: (fields, line) => {
      if (line !== 1) out[Number(fields[0])] = fields[1] === '' ? null : fields[1]!;
    },
    onProblem: (p) => {
      throw new Error(p.reason);
    },
  });
  return out;
}

describe('address: every path writes the same hash', () => {
  it('cleanroom normalize --hash sha256', async () => {
    const r = await runCleanroom(['normalize', 'address', '--hash', 'sha256'], { stdin: CASES.map(([raw]) => raw).join('\n') + '\n' });
    expect(r.stdout.split('\n').slice(0, -1).map((h) => (h === '' ? null : h))).toEqual(expected);
  });

  it('cleanroom prepare', async () => {
    const input = join(dir, 'prepare.csv');
    const output = join(dir, 'prepare.out.csv');
    writeFileSync(input, csv);
    const r = await runCleanroom(['prepare', '--input', input, '--output', output, '--map', 'address=value', '--no-dedupe']);
    expect(r.code, r.stderr).toBe(0);
    expect(hashesOf(readFileSync(output, 'utf8'))).toEqual(expected);
  });

  it('the browser preparation (browser hasher, inline runner)', async () => {
    const dataset = { owner: 'party', columns: { case: { type: 'string' }, value: { type: 'string', identifier: 'address' } } } as unknown as DatasetSpec;
    const result = await prepareInBrowser(new Blob([csv]), {
      plan: (header) => planUpload(header, dataset, { case: 'case', value: 'value' }),
      profile: 'default',
      country: 'US',
      runner: createInlineRunner,
      chunkSize: 4096,
    });
    expect(hashesOf(await result.prepared.text())).toEqual(expected);
  });

  it('in-room hashing (the streamed upload’s preparation)', async () => {
    const input = join(dir, 'room.csv');
    const output = join(dir, 'room.out.csv');
    writeFileSync(input, csv);
    await prepareFile({ input, output, profile: 'default', country: 'US', map: { address: 'value' }, autoDetect: false, dedupe: false, workers: 1 });
    expect(hashesOf(readFileSync(output, 'utf8'))).toEqual(expected);
  });
});
