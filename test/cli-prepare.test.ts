import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCleanroom, tempDir } from './helpers/run-cleanroom.js';
import { spawnSync } from 'node:child_process';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function prepare(csv: string | Buffer, extra: string[] = []) {
  const dir = tempDir();
  const input = join(dir, 'customers.csv');
  writeFileSync(input, csv);
  const output = join(dir, 'prepared.csv');
  const rejects = join(dir, 'rejects.csv');
  const report = join(dir, 'report.json');
  const result = await runCleanroom(['prepare', '--input', input, '--output', output, '--rejects', rejects, '--report', report, ...extra]);
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
  return { dir, input, result, output: read(output), rejects: read(rejects), report: read(report) === undefined ? undefined : (JSON.parse(read(report)!) as Record<string, any>), outputPath: output };
}

describe('cleanroom prepare', () => {
  it('hashes identifier columns, passes the others through, and removes exact duplicate records', async () => {
    const csv = [
      'Customer ID,E-mail Address,Mobile,First Name,Zip,revenue,store',
      'C1, John.Smith@GMAIL.com ,(650) 555-1212,José,94043-1234,12.50,"store, north"',
      'C1,johnsmith@gmail.com,+1 650 555 1212,josé,94043,12.50,"store, north"',
      'C2,mary@example.org,,Mary,10001,3,south',
      'C1,johnsmith@gmail.com,+1 650 555 1212,josé,94043,12.50,"store, north"',
      '"C1","johnsmith@gmail.com","+1 650 555 1212","josé","94043","12.50","store, north"',
    ].join('\n');
    const { result, output, report } = await prepare(csv);
    expect(result.code, result.stderr).toBe(0);
    const lines = output!.trim().split('\n');
    expect(lines[0]).toBe('external_id,email,phone,first_name,zip,revenue,store');
    expect(lines).toHaveLength(4);
    const first = lines[1]!.split(',');
    expect(first[1]).toBe(sha('johnsmith@gmail.com'));
    expect(first[2]).toBe(sha('+16505551212'));
    expect(first.slice(5)).toEqual(['12.50', '"store', ' north"']);
    // The same person written two ways comes out identical.
    expect(lines[2]).toBe(lines[1]);
    expect(lines[3]!.split(',')[2]).toBe('');
    expect(output).not.toMatch(/gmail|mary|José|650/i);
    // Rows 5 and 6 repeat row 3 exactly (quoted or not, the same fields).
    expect(report?.rows).toEqual({ read: 5, written: 3, rejected: 0, duplicatesRemoved: 2, blankLines: 0 });
    expect(report?.identifiers.find((i: any) => i.kind === 'phone')).toMatchObject({ filled: 4, valid: 4, invalid: 0 });
    expect(report?.matchable).toContainEqual({ kind: 'email', rows: 3, share: 1 });
    expect(report?.matchable).toContainEqual({ kind: 'phone', rows: 2, share: 0.6667 });
    expect(result.stdout).toContain('duplicates removed');
  });

  it('blanks an invalid value, keeps the row, and lists the value by line and column', async () => {
    const { result, output, rejects, report } = await prepare('email,phone\nann@example.com,12\n');
    expect(result.code).toBe(0);
    expect(output!.trim().split('\n')[1]).toBe(`${sha('ann@example.com')},`);
    expect(rejects).toMatch(/^line,column,field,action,reason,value\n2,2,phone,value_blanked,"?invalid phone: [^\n]+"?,12\n$/);
    expect(report?.identifiers[1]).toMatchObject({ filled: 1, valid: 0, invalid: 1 });
  });

  it('rejects rows with the wrong number of fields, no valid identifier, or invalid UTF-8, and goes on', async () => {
    const csv = Buffer.concat([
      Buffer.from('email,name\nok@example.com,A\nextra@example.com,B,C\nnot-an-email,D\n'),
      Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x40, 0x78, 0x2e, 0x63, 0x6f, 0x2c, 0x45, 0x0a]), // Latin-1 "José@x.co,E"
      Buffer.from('last@example.com,F\n'),
    ]);
    const { result, rejects, report } = await prepare(csv);
    expect(result.code).toBe(0);
    expect(report?.rows).toMatchObject({ read: 5, written: 2, rejected: 3 });
    const rows = rejects!.trim().split('\n').slice(1);
    expect(rows[0]).toBe('3,0,,row_rejected,"record has 3 fields, expected 2 as in the header",');
    expect(rows[1]).toMatch(/^4,1,email,row_rejected,"?no valid identifier: invalid email: [^\n]+"?,not-an-email$/);
    expect(rows[2]).toMatch(/^5,0,,row_rejected,invalid UTF-8 at byte 4 of the line/);
  });

  it('neutralises spreadsheet formulas in the rejects file', async () => {
    const { rejects } = await prepare('email\n=HYPERLINK("http://x")\n');
    expect(rejects).toContain(`'=HYPERLINK`);
  });

  it('stops on an unterminated quote, naming line and column, and leaves no output behind', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.csv');
    const output = join(dir, 'prepared.csv');
    writeFileSync(output, 'a good earlier output\n');
    writeFileSync(input, 'email,name\na@example.com,"Ann\nb@example.com,Bob\n');
    const r = await runCleanroom(['prepare', '--input', input, '--output', output]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('line 2, column 15: unterminated quote');
    expect(readFileSync(output, 'utf8')).toBe('a good earlier output\n');
    expect(readdirSync(dir).sort()).toEqual(['in.csv', 'prepared.csv']);
  });

  it.each([
    ['an empty file', '', /the file is empty/],
    ['a file with no header row', 'john@example.com,650 555 1212\nmary@example.org,212 555 0100\n', /no header row \(line 1, field 1 "john@example.com" looks like an email address\)/],
    ['a file with no identifier column', 'revenue,store\n1,a\n', /no identifier column among its headers \(revenue, store\); name one with --map/],
  ])('fails clearly on %s, with a non-zero exit and no output', async (_what, csv, message) => {
    const { result, output } = await prepare(csv);
    expect(result.code).toBe(65);
    expect(result.stderr).toMatch(message);
    expect(output).toBeUndefined();
  });

  it('fails when the input does not exist', async () => {
    const r = await runCleanroom(['prepare', '--input', '/nonexistent/x.csv', '--output', '/tmp/never.csv']);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('Cannot read /nonexistent/x.csv: no such file');
  });

  it('uses --map for unusual headers and sniffs a semicolon delimiter', async () => {
    const { result, output } = await prepare('Kunde;Mail Geschäftlich;Umsatz\nK1;ANN@example.com;9,5\n', ['--map', 'email=Mail Geschäftlich']);
    expect(result.code, result.stderr).toBe(0);
    expect(output).toBe(`Kunde,email,Umsatz\nK1,${sha('ann@example.com')},"9,5"\n`);
  });

  it('shows a progress bar on a terminal', async () => {
    // util-linux `script` gives the command a pseudo-terminal, as a person's shell would.
    const dir = tempDir();
    const input = join(dir, 'in.csv');
    writeFileSync(input, `email\n${Array.from({ length: 2000 }, (_, i) => `p${i}@example.com`).join('\n')}\n`);
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} prepare --input ${JSON.stringify(input)} --output ${JSON.stringify(join(dir, 'out.csv'))}`;
    const { stdout } = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    expect(stdout).toContain('preparing [');
    expect(stdout).toContain('Prepared');
  });

  it('prints the report as JSON with --json and shows no progress bar in a pipe', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'email\na@example.com\n');
    const r = await runCleanroom(['prepare', '--input', input, '--output', join(dir, 'out.csv'), '--json']);
    expect(JSON.parse(r.stdout).rows.written).toBe(1);
    expect(r.stderr).toBe('');
  });
});
