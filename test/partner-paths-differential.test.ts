import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField } from '../src/core/prepare/csv-field.js';
import { readCsvRecords } from '../src/core/csv/read-csv-records.js';
import { getProfile } from '../src/core/identity/profiles.js';
import type { DatasetSpec } from '../src/core/template/index.js';
import { prepareFile } from '../src/node/prepare/prepare-file.js';
import { planUpload } from '../web/src/prepare/plan-upload.js';
import { prepareInBrowser } from '../web/src/prepare/prepare-in-browser.js';
import { createInlineRunner } from '../web/src/prepare/worker-pool.js';
import { cleanroomNormalize, readPartnerCaseFiles } from './helpers/partner-cases.js';
import type { PartnerCaseFile } from './helpers/partner-cases.js';
import { runCleanroom, tempDir } from './helpers/run-cleanroom.js';

// Every partner case, through every path a value takes to its hash: `cleanroom normalize
// --hash` and `cleanroom prepare` (the built CLI, as a process), the browser's preparation
// (web/src/prepare with the browser hasher, on the inline runner the Web Workers run), and
// the in-room preparation (prepareFile as the server's streamed upload calls it for a
// template that hashes in the room: the template's profile, its mapping, no guessing).
// All must give the hash of the partner's expected value, or blank where the partner
// sends nothing.
const files = readPartnerCaseFiles();
const dir = tempDir('cleanroom-partner-paths-');

/** The hash every path must write for a case: SHA-256 of the expected value, or the digest it already is. */
function expectedHash(file: PartnerCaseFile, input: string): string | null {
  const result = cleanroomNormalize(file, input);
  if (!result.ok) return null;
  const encoding = getProfile(file.profile).hashEncoding;
  if (/^[0-9a-f]{64}$/.test(result.value) || (encoding === 'base64' && result.value.length === 44 && result.value.endsWith('='))) {
    // An existing digest: the value itself, in the profile's encoding.
    return result.value;
  }
  return createHash('sha256').update(result.value, 'utf8').digest(encoding);
}

// Cases a CSV file cannot carry as they are (a lone surrogate has no UTF-8), or whose
// answer depends on today's date, which `prepare` does not pass to the rules.
function carried(file: PartnerCaseFile): PartnerCaseFile['cases'] {
  return file.cases.filter((c) => {
    if (/[\ud800-\udfff]/u.test(c.input.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return false;
    if (file.today === undefined) return true;
    const withToday = cleanroomNormalize(file, c.input);
    const without = cleanroomNormalize({ ...file, today: undefined }, c.input);
    return JSON.stringify(withToday) === JSON.stringify(without);
  });
}

function csvOf(cases: PartnerCaseFile['cases']): string {
  return `case,value\n${cases.map((c, i) => `${i},${csvField(c.input)}`).join('\n')}\n`;
}

/** The hash per case index in a prepared `case,value` file; a rejected row is a blank. */
function hashesOf(prepared: string, count: number): (string | null)[] {
  const out: (string | null)[] = Array.from({ length: count }, () => null);
  readCsvRecords(prepared, {
    firstLine: 1,
    onRecord: (fields, line) => {
      if (line === 1) return;
      const hashColumn = fields.length - 1;
      out[Number(fields[0])] = fields[hashColumn] === '' ? null : fields[hashColumn]!;
    },
    onProblem: (p) => {
      throw new Error(p.reason);
    },
  });
  return out;
}

function settingsArgs(file: PartnerCaseFile): string[] {
  return ['--profile', file.profile, '--country', file.defaultCountry ?? 'US'];
}

for (const file of files) {
  describe(`${file.profile} / ${file.kind}: every path writes the partner's hash`, () => {
    const cases = carried(file).filter((c) => c.divergent === undefined);
    const expected = cases.map((c) => expectedHash(file, c.input));

    it(`cleanroom normalize --hash sha256 (${cases.length} cases)`, async () => {
      // One value per line: values holding a line break cannot be given this way.
      const lines = cases.map((c, i) => ({ c, i })).filter(({ c }) => !/[\n\r]/.test(c.input));
      const r = await runCleanroom(['normalize', file.kind, '--hash', 'sha256', '--json', ...settingsArgs(file)], { stdin: lines.map(({ c }) => c.input).join('\n') + '\n' });
      expect(r.code, r.stderr).toBe(0);
      const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { hash: string | null; error: string | null });
      expect(out.length).toBe(lines.length);
      lines.forEach(({ c, i }, n) => {
        expect(out[n]!.hash, JSON.stringify(c.input)).toBe(expected[i]);
        // A blank output always says why.
        if (out[n]!.hash === null) expect(out[n]!.error, JSON.stringify(c.input)).toMatch(/\w/);
      });
    });

    it('cleanroom prepare', async () => {
      const input = join(dir, `${file.profile}-${file.kind}.csv`);
      const output = join(dir, `${file.profile}-${file.kind}.prepared.csv`);
      writeFileSync(input, csvOf(cases));
      const r = await runCleanroom(['prepare', '--input', input, '--output', output, '--map', `${file.kind}=value`, '--no-dedupe', '--json', ...settingsArgs(file)]);
      expect(r.code, r.stderr).toBe(0);
      expect(hashesOf(readFileSync(output, 'utf8'), cases.length)).toEqual(expected);
    });

    it('the browser preparation (browser hasher, inline runner)', async () => {
      const dataset: DatasetSpec = { owner: 'party', columns: { case: { type: 'string' }, value: { type: 'string', identifier: file.kind } } } as unknown as DatasetSpec;
      const result = await prepareInBrowser(new Blob([csvOf(cases)]), {
        plan: (header) => planUpload(header, dataset, { case: 'case', value: 'value' }),
        profile: file.profile,
        country: file.defaultCountry ?? 'US',
        runner: createInlineRunner,
        chunkSize: 4096,
      });
      expect(hashesOf(await result.prepared.text(), cases.length)).toEqual(expected);
    });

    it('in-room hashing (the streamed upload’s preparation)', async () => {
      const input = join(dir, `${file.profile}-${file.kind}.room.csv`);
      const output = join(dir, `${file.profile}-${file.kind}.room.prepared.csv`);
      writeFileSync(input, csvOf(cases));
      await prepareFile({ input, output, profile: file.profile, country: file.defaultCountry ?? 'US', map: { [file.kind]: 'value' }, autoDetect: false, dedupe: false, workers: 1 });
      expect(hashesOf(readFileSync(output, 'utf8'), cases.length)).toEqual(expected);
    });
  });
}
