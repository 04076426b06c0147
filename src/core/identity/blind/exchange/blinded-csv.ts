import { readCsvRecords } from '../../../csv/read-csv-records.js';
import { CleanRoomError } from '../../../errors.js';
import { elementProblem } from '../check-element.js';
import { fromHex } from '../encoding.js';

/** One refused cell of a singly blinded upload. */
export interface BlindedCellProblem {
  line: number;
  /** 1-based field position. */
  column: number;
  field: string;
  reason: string;
}

/** What {@link readSingles} found. */
export interface SinglesRead {
  /** Every distinct singly blinded value, in order of first appearance. */
  singles: string[];
  /** Refused cells (at most `maxProblems`), as data. */
  problems: BlindedCellProblem[];
  rows: number;
  /** The columns of `columns` the header has (an optional identifier column may be left out). */
  present: string[];
}

/**
 * Read the singly blinded identifier columns of a prepared upload (`cleanroom prepare
 * --hash blind`): every non-empty cell of `columns` (those the header has; at least one)
 * must be a valid element in its hex form; a digest or raw value there (a file prepared for another mode) is listed as a
 * problem with its line and column. A CSV that cannot be read, or a header without one of
 * the columns, throws `invalid_input`. A SHA-256 digest decodes as an element with
 * probability about 1/16, so a file of digests shows most of its cells here, but not all:
 * the room must refuse an upload with any problem, or it would forward the digests that
 * happen to decode to the other party.
 *
 * @example
 * ```ts
 * const { singles, problems } = readSingles(csv, { columns: ['email'], file: 'upload' });
 * if (problems.length > 0) refuse(problems); // nothing is kept
 * ```
 */
export function readSingles(text: string, options: { columns: readonly string[]; file: string; maxProblems?: number; check?: (value: string) => string | undefined }): SinglesRead {
  const { columns, file, maxProblems = 20, check = singleProblem } = options;
  const seen = new Set<string>();
  const problems: BlindedCellProblem[] = [];
  let rows = 0;
  let indices: number[] | undefined;
  let present: string[] = [];
  readCsvRecords(text, {
    onProblem: (p) => {
      throw new CleanRoomError('invalid_input', `Cannot read ${file} as CSV: line ${p.line}, column ${p.column}: ${p.reason}`, { details: { file, line: p.line, column: p.column } });
    },
    onRecord: (fields, line) => {
      if (indices === undefined) {
        present = columns.filter((name) => fields.some((f) => f.trim().toLowerCase() === name.toLowerCase()));
        if (present.length === 0) throw new CleanRoomError('invalid_input', `Cannot read ${file}: its header (${fields.join(', ')}) has none of the identifier columns ${columns.join(', ')}`, { details: { file, line } });
        indices = present.map((name) => fields.findIndex((f) => f.trim().toLowerCase() === name.toLowerCase()));
        return;
      }
      rows++;
      for (const at of indices) {
        const cell = fields[at] ?? '';
        if (cell === '') continue;
        const problem = check(cell);
        if (problem === undefined) seen.add(cell);
        else if (problems.length < maxProblems) problems.push({ line, column: at + 1, field: present[indices.indexOf(at)]!, reason: `not a blinded identifier: ${problem}` });
      }
    },
  });
  return { singles: [...seen], problems, rows, present };
}

/**
 * Why a cell cannot be a singly blinded identifier (not 64 lower-case hex, or not a valid
 * group element), or undefined when it can. Needs `blindReady()`.
 *
 * @example
 * ```ts
 * singleProblem('e2f2…'); // undefined
 * singleProblem('jane@example.com'); // 'not 64 lower-case hex characters'
 * ```
 */
export function singleProblem(cell: string): string | undefined {
  const bytes = fromHex(cell);
  return bytes === undefined ? 'not 64 lower-case hex characters' : elementProblem(bytes)?.replaceAll('_', ' ');
}

/**
 * The upload with each singly blinded cell replaced by its doubly blinded value (from
 * `doublesBySingle`): the file the room re-keys and loads like a hashed upload. Every other
 * field is kept. A single without a double throws `internal` (the exchange is incomplete).
 *
 * @example
 * ```ts
 * const loadable = replaceSingles(csv, { columns: ['email'], doubles: doublesBySingle(state) });
 * ```
 */
export function replaceSingles(text: string, options: { columns: readonly string[]; doubles: ReadonlyMap<string, string> }): string {
  const { columns, doubles } = options;
  const out: string[] = [];
  let indices: Set<number> | undefined;
  readCsvRecords(text, {
    onProblem: (p) => {
      throw new CleanRoomError('invalid_input', `Cannot read the staged upload as CSV: line ${p.line}, column ${p.column}: ${p.reason}`);
    },
    onRecord: (fields) => {
      if (indices === undefined) {
        indices = new Set(columns.map((name) => fields.findIndex((f) => f.trim().toLowerCase() === name.toLowerCase())).filter((at) => at >= 0));
        out.push(fields.map(quote).join(','));
        return;
      }
      const row = fields.map((cell, i) => {
        if (!indices!.has(i) || cell === '') return quote(cell);
        const double = doubles.get(cell);
        if (double === undefined) throw new CleanRoomError('internal', 'Cannot replace a blinded identifier: the exchange has no double for it');
        return double;
      });
      out.push(row.join(','));
    },
  });
  return `${out.join('\n')}\n`;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
