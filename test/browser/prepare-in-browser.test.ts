import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';
import { readCsvRecords } from '../../src/core/csv/read-csv-records.js';
import { csvField } from '../../src/core/prepare/csv-field.js';
import type { DatasetSpec } from '../../src/core/template/index.js';
import { guessMapping, planUpload } from '../../web/src/prepare/plan-upload.js';
import { prepareInBrowser } from '../../web/src/prepare/prepare-in-browser.js';
import { createInlineRunner } from '../../web/src/prepare/worker-pool.js';
import { overlapFiles } from './helpers/overlap-files.js';
import { blindReady, formatBlindKey, newBlindKey } from '../../src/core/identity/blind/index.js';

// The UI's preparation logic on Node, where `cleanroom prepare` runs beside it: small
// chunks to cross many record boundaries, the browser hasher, and the column projection.
// web-ui.test.ts checks the same in Chromium's Web Workers, at 1 MiB chunks.
const template = JSON.parse(readFileSync(join(process.cwd(), 'templates', 'audience-overlap.json'), 'utf8')) as { datasets: Record<string, DatasetSpec> };
const policyholders = template.datasets.policyholders!;
const partnerCustomers = template.datasets.partner_customers!;
const IDS = { email: 'email', phone: 'phone', first_name: 'first_name', last_name: 'last_name', zip: 'zip' };
const dir = mkdtempSync(join(tmpdir(), 'cleanroom-web-prepare-'));
const files = overlapFiles();

async function cliPrepared(name: string, csv: string): Promise<string> {
  const input = join(dir, `${name}.csv`);
  const output = join(dir, `${name}.prepared.csv`);
  writeFileSync(input, csv);
  await prepareFile({ input, output, map: IDS, autoDetect: false, workers: 0 });
  return readFileSync(output, 'utf8');
}

describe('prepareInBrowser', () => {
  it('writes the bytes `cleanroom prepare` writes for a file in the template’s columns, whatever the chunk size', async () => {
    const expected = await cliPrepared('policyholders', files.insurerCsv);
    const mapping = guessMapping(files.insurerCsv.split('\n')[0]!.split(','), policyholders);
    for (const chunkSize of [1 << 20, 4096, 777]) {
      const result = await prepareInBrowser(new Blob([files.insurerCsv]), { plan: (h) => planUpload(h, policyholders, mapping), profile: 'default', runner: createInlineRunner, chunkSize });
      expect(await result.prepared.text(), `chunk size ${chunkSize}`).toBe(expected);
      expect(result.report.rows.duplicatesRemoved).toBe(32);
    }
  });

  it('blinds with the party\'s key exactly as `cleanroom prepare --hash blind` does', async () => {
    await blindReady();
    const key = new TextEncoder().encode(formatBlindKey(newBlindKey()));
    const input = join(dir, 'blind-in.csv');
    const output = join(dir, 'blind-out.csv');
    const csv = `${files.insurerCsv.split('\n').slice(0, 300).join('\n')}\n`;
    writeFileSync(input, csv);
    await prepareFile({ input, output, map: IDS, autoDetect: false, workers: 0, hash: 'blind', key });
    const mapping = guessMapping(files.insurerCsv.split('\n')[0]!.split(','), policyholders);
    const result = await prepareInBrowser(new Blob([csv]), { plan: (h) => planUpload(h, policyholders, mapping), profile: 'default', runner: createInlineRunner, chunkSize: 4096, blindKey: key });
    const text = await result.prepared.text();
    expect(text).toBe(readFileSync(output, 'utf8'));
    expect(text).not.toContain('@');
  });

  it('renames mapped columns to the template’s, drops the others, and hashes as `cleanroom prepare` does', async () => {
    const mapping = { plan: 'Plan', email: 'E-Mail Address', phone: 'Mobile', first_name: 'Given name', last_name: 'Surname', zip: 'Postcode' };
    // The same file projected by hand to the template's columns, for the CLI.
    const rows: string[] = [];
    readCsvRecords(files.partnerCsv, {
      onRecord: (fields) => {
        rows.push([0, 1, 2, 3, 4, 5].map((i) => csvField(fields[i]!)).join(','));
      },
      onProblem: (p) => {
        throw new Error(p.reason);
      },
    });
    rows[0] = 'plan,email,phone,first_name,last_name,zip';
    const expected = await cliPrepared('partner', `${rows.join('\n')}\n`);
    const result = await prepareInBrowser(new Blob([files.partnerCsv]), { plan: (h) => planUpload(h, partnerCustomers, mapping), profile: 'default', runner: createInlineRunner, chunkSize: 5000 });
    const text = await result.prepared.text();
    expect(text).toBe(expected);
    expect(text).not.toContain('@');
    expect(result.report.identifiers.map((i) => i.column)).toEqual(['email', 'phone', 'first_name', 'last_name', 'zip']);
  });

  it('reports progress as prepared bytes, rising to the file size', async () => {
    const seen: number[] = [];
    const blob = new Blob([files.insurerCsv]);
    const mapping = guessMapping(files.insurerCsv.split('\n')[0]!.split(','), policyholders);
    await prepareInBrowser(blob, { plan: (h) => planUpload(h, policyholders, mapping), profile: 'default', runner: createInlineRunner, chunkSize: 65536, onProgress: (done) => seen.push(done) });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((done, i) => i === 0 || done >= seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(blob.size);
  });

  it('refuses a mapping that leaves a required column out, or feeds two columns from one', async () => {
    expect(() => planUpload(['E-Mail'], partnerCustomers, { email: 'E-Mail' })).toThrow(/required column\(s\) plan/);
    expect(() => planUpload(['Plan', 'E-Mail'], partnerCustomers, { plan: 'Plan', email: 'E-Mail', phone: 'E-Mail' })).toThrow(/one file column feeds one template column/);
  });
});
