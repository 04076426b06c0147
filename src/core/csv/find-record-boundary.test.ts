import { describe, expect, it } from 'vitest';
import { findRecordBoundary } from './find-record-boundary.js';
import { readCsvRecords } from './read-csv-records.js';

const enc = new TextEncoder();
const at = (text: string) => findRecordBoundary(enc.encode(text), 44);

describe('findRecordBoundary', () => {
  it('cuts after the last complete record', () => {
    expect(at('a,b\nc,d\ne,')).toBe(8);
  });

  it('does not cut inside a quoted field holding newlines', () => {
    expect(at('a,"x\ny\nz')).toBe(-1);
    expect(at('a,"x\ny"\nb')).toBe(8);
  });

  it('treats a quote inside an unquoted field as literal', () => {
    expect(at('ab"c\nd\n')).toBe(7);
  });

  it('waits when a block ends on a quote that may be half of ""', () => {
    expect(at('1\na,"x"')).toBe(2);
  });

  it('cuts where the record reader sees record starts, for any cut of generated CSV', () => {
    const text = 'id,note\n1,"a\nb"\n2,"say ""x""\n"\n3,plain "q"\n4,"",\n5,"\n\n"\n';
    const starts = new Set<number>();
    readCsvRecords(text, { onRecord: (_f, line) => starts.add(line), onProblem: () => {} });
    const bytes = enc.encode(text);
    for (let len = 1; len <= bytes.length; len++) {
      const cut = findRecordBoundary(bytes.subarray(0, len), 44);
      if (cut === -1) continue;
      const linesBefore = text.slice(0, cut).split('\n').length;
      expect(starts.has(linesBefore) || cut === bytes.length).toBe(true);
    }
  });
});
