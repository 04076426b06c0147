import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './read-csv-records.js';
import type { CsvProblem } from './read-csv-records.js';

function read(text: string, delimiter = ',') {
  const records: { fields: string[]; line: number }[] = [];
  const problems: CsvProblem[] = [];
  const summary = readCsvRecords(text, { delimiter, onRecord: (fields, line) => records.push({ fields, line }), onProblem: (p) => problems.push(p) });
  return { records, problems, summary };
}

describe('readCsvRecords', () => {
  it('splits plain records and numbers their lines', () => {
    const { records } = read('a,b\n1,2\r\n3,4');
    expect(records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
      { fields: ['3', '4'], line: 3 },
    ]);
  });

  it('reads quoted fields with delimiters, escaped quotes and newlines', () => {
    const { records } = read('name,note\n"Smith, John","said ""hi""\nthen left"\nx,y\n');
    expect(records).toEqual([
      { fields: ['name', 'note'], line: 1 },
      { fields: ['Smith, John', 'said "hi"\nthen left'], line: 2 },
      { fields: ['x', 'y'], line: 4 },
    ]);
  });

  it('keeps a quote inside an unquoted field as a literal character', () => {
    expect(read('Dwayne "The Rock" Johnson,1\n').records[0]?.fields).toEqual(['Dwayne "The Rock" Johnson', '1']);
  });

  it('skips and counts blank lines without losing line numbers', () => {
    const { records, summary } = read('a\n\n\r\nb\n');
    expect(records.map((r) => r.line)).toEqual([1, 4]);
    expect(summary.blankLines).toBe(2);
  });

  it('uses another delimiter', () => {
    expect(read('a;"b;c"\n', ';').records[0]?.fields).toEqual(['a', 'b;c']);
  });

  it('reports an unterminated quote as fatal, at its line and column', () => {
    const { records, problems } = read('a,b\n1,"open\n2,3\n');
    expect(records).toHaveLength(1);
    expect(problems).toEqual([{ line: 2, column: 3, reason: expect.stringContaining('unterminated quote'), fatal: true }]);
  });

  it('rejects text after a closing quote and recovers on the next line', () => {
    const { records, problems } = read('a,b\n"x"y,1\nc,d\n');
    expect(problems).toEqual([{ line: 2, column: 4, reason: 'unexpected character "y" after a closing quote', fatal: false }]);
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('agrees with csv-parse on generated tricky CSV', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const atoms = ['a', 'Bé', ' ', ',', '"', '\n', '\r\n', 'x"y', '', '日本', '=1+2', '\t'];
    for (let round = 0; round < 300; round++) {
      const rows: string[] = [];
      const width = 1 + rand(5);
      for (let r = 0; r < 1 + rand(6); r++) {
        const fields: string[] = [];
        for (let f = 0; f < width; f++) {
          let v = '';
          for (let k = rand(4); k > 0; k--) v += atoms[rand(atoms.length)];
          const needsQuote = /[",\r\n]/.test(v);
          fields.push(needsQuote || rand(4) === 0 ? `"${v.replace(/"/g, '""')}"` : v);
        }
        // A first field that is empty would make the row a blank line, which both skip.
        if (width === 1 && fields[0] === '') fields[0] = 'z';
        rows.push(fields.join(','));
      }
      const text = rows.join(rand(2) ? '\n' : '\r\n') + (rand(2) ? '\n' : '');
      const ours = read(text);
      expect(ours.problems).toEqual([]);
      const theirs = parse(text, { relax_quotes: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
      expect(ours.records.map((r) => r.fields)).toEqual(theirs);
    }
  });
});
