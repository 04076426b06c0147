import { CleanRoomError } from '../errors.js';
import { findRecordBoundary } from '../csv/find-record-boundary.js';
import { readCsvRecords } from '../csv/read-csv-records.js';

/** The header record and where the data starts. */
export interface HeaderInfo {
  header: string[];
  delimiter: string;
  /** Byte offset of the first data record (past the BOM and the header). */
  dataOffset: number;
  /** 1-based line number of the first data record. */
  dataLine: number;
}

const CANDIDATES = [',', ';', '\t', '|'];
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads the header record from the first bytes of a file, sniffing the delimiter
 * (comma, semicolon, tab or pipe: the most frequent one in the header line) unless one is
 * given. Returns undefined when `bytes` does not yet hold the whole header record and
 * more of the file exists (`atEnd` false).
 *
 * @example
 * ```ts
 * readHeader(new TextEncoder().encode('email;phone\nx;y\n'), { atEnd: false })?.delimiter; // ';'
 * ```
 */
export function readHeader(bytes: Uint8Array, options: { delimiter?: string; atEnd: boolean; file?: string }): HeaderInfo | undefined {
  const { atEnd, file = 'input' } = options;
  const start = bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2] ? 3 : 0;
  let body = bytes.subarray(start);
  // Skip leading blank lines before the header.
  let line = 1;
  while (body[0] === 0x0a || (body[0] === 0x0d && body[1] === 0x0a)) {
    body = body.subarray(body[0] === 0x0a ? 1 : 2);
    line++;
  }
  if (body.length === 0) {
    if (!atEnd) return undefined;
    throw new CleanRoomError('invalid_input', `Cannot read ${file} as CSV: the file is empty`, { details: { file } });
  }
  const firstNewline = body.indexOf(0x0a);
  const firstLine = new TextDecoder().decode(body.subarray(0, firstNewline === -1 ? body.length : firstNewline));
  const delimiter = options.delimiter ?? sniffDelimiter(firstLine);
  let end = firstRecordEnd(body, delimiter.charCodeAt(0));
  if (end === -1) {
    if (!atEnd) return undefined;
    end = body.length;
  }
  let header: string[] | undefined;
  let problem: string | undefined;
  readCsvRecords(new TextDecoder().decode(body.subarray(0, end)), {
    delimiter,
    firstLine: line,
    onRecord: (fields) => {
      header ??= fields;
    },
    onProblem: (p) => {
      problem ??= `line ${p.line}, column ${p.column}: ${p.reason}`;
    },
  });
  if (problem !== undefined || header === undefined) {
    throw new CleanRoomError('invalid_input', `Cannot read the header of ${file}: ${problem ?? 'no header record'}`, { details: { file, line } });
  }
  let headerLines = end > 0 && body[end - 1] !== 0x0a ? 1 : 0;
  for (let i = body.indexOf(0x0a); i !== -1 && i < end; i = body.indexOf(0x0a, i + 1)) headerLines++;
  return { header: header.map((h) => h.trim()), delimiter, dataOffset: start + (bytes.length - start - body.length) + end, dataLine: line + headerLines };
}

/** Offset just past the newline ending the first record, or -1 if it does not end in `bytes`. */
function firstRecordEnd(bytes: Uint8Array, delimiterByte: number): number {
  for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a, nl + 1)) {
    if (findRecordBoundary(bytes.subarray(0, nl + 1), delimiterByte) === nl + 1) return nl + 1;
  }
  return -1;
}

/** The candidate delimiter that occurs most often outside quotes in the header line. */
function sniffDelimiter(line: string): string {
  const unquoted = line.replace(/"(?:[^"]|"")*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const c of CANDIDATES) {
    const count = unquoted.split(c).length - 1;
    if (count > bestCount) {
      best = c;
      bestCount = count;
    }
  }
  return best;
}

const LOOKS_LIKE: readonly [RegExp, string][] = [
  [/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address'],
  [/^[0-9a-f]{64}$/i, 'a SHA-256 hash'],
  [/^\+?[\d\s().-]{7,}$/, 'a phone number or other number'],
];

/**
 * Why a header row looks like data instead of column names, or undefined. Used to tell
 * "this file has no header row" from "no column has a known identifier name".
 *
 * @example
 * ```ts
 * headerLooksLikeData(['john@example.com', '650 555 1212']); // 'field 1 "john@example.com" looks like an email address'
 * ```
 */
export function headerLooksLikeData(header: readonly string[]): string | undefined {
  for (const [i, value] of header.entries()) {
    for (const [pattern, what] of LOOKS_LIKE) {
      if (pattern.test(value.trim())) return `field ${i + 1} "${value}" looks like ${what}`;
    }
  }
  return undefined;
}
