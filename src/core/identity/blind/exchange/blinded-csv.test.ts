import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { blind } from '../blind.js';
import { newBlindKey } from '../blind-key.js';
import { toHex } from '../encoding.js';
import { hashToGroup } from '../hash-to-group.js';
import { blindReady } from '../sodium.js';
import { readSingles, replaceSingles } from './blinded-csv.js';

beforeAll(blindReady);

describe('singly blinded uploads', () => {
  it('lists each distinct single once, and replaces each by its double, other fields kept', () => {
    const key = newBlindKey();
    const [x, y] = ['jane@example.com', 'bob@example.org'].map((v) => toHex(blind(hashToGroup(v), key)));
    const csv = `email,store\n${x},"north, 1"\n${y},south\n${x},east\n,west\n`;
    const read = readSingles(csv, { columns: ['email'], file: 'upload' });
    expect(read).toEqual({ singles: [x, y], problems: [], rows: 4, present: ['email'] });
    const doubles = new Map([[x!, 'd1'], [y!, 'd2']]);
    expect(replaceSingles(csv, { columns: ['email'], doubles })).toBe('email,store\nd1,"north, 1"\nd2,south\nd1,east\n,west\n');
  });

  it('lists a raw value and an invalid element by line and column, as data', () => {
    const csv = `store,email\ns,jane@example.com\ne,${'00'.repeat(32)}\n`;
    const { singles, problems } = readSingles(csv, { columns: ['email'], file: 'upload' });
    expect(singles).toEqual([]);
    expect(problems).toEqual([
      { line: 2, column: 2, field: 'email', reason: 'not a blinded identifier: not 64 lower-case hex characters' },
      { line: 3, column: 2, field: 'email', reason: 'not a blinded identifier: identity' },
    ]);
  });

  it('shows a file prepared with plain SHA-256: about 15 digests in 16 are no group element', () => {
    // A digest decodes as an element with probability ~1/16, so a digest file is found out by
    // its other rows; the room must refuse an upload with any problem, or it would forward the
    // digests that happen to decode to the other party.
    const digests = Array.from({ length: 40 }, (_, i) => createHash('sha256').update(`p${i}@example.com`).digest('hex'));
    const { singles, problems } = readSingles(`email\n${digests.join('\n')}\n`, { columns: ['email'], file: 'upload', maxProblems: 100 });
    expect(problems.length).toBeGreaterThan(25);
    expect(singles.length + problems.length).toBe(40);
  });

  it('refuses a header without the identifier column', () => {
    expect(() => readSingles('phone\n1\n', { columns: ['email'], file: 'upload' })).toThrow('Cannot read upload: its header (phone) has none of the identifier columns email');
    expect(readSingles('email,plan\n\n', { columns: ['email', 'phone'], file: 'upload' }).present).toEqual(['email']);
  });
});
