import { readCsvRecords } from '../csv/read-csv-records.js';
import type { IdentifierKind, NormalizeOptions } from '../identity/identifier-kind.js';
import type { IdentityProfile } from '../identity/identity-profile.js';
import type { ColumnPlan } from './column-plan.js';
import { fingerprint } from './fingerprint.js';
import { emptyStats } from './prepare-stats.js';
import type { PrepareStats } from './prepare-stats.js';
import { decodeUtf8Chunk } from './decode-utf8-chunk.js';
import { csvField } from './csv-field.js';

/** The hashing a chunk needs; see `createHasher` in core/identity. */
export interface ChunkHasher {
  hash(normalized: string): string;
  asExistingHash(value: string): string | undefined;
}

/** One row-level problem, written to the rejects file. */
export interface RejectEntry {
  line: number;
  /** 1-based field position, 0 when the problem is the whole record. */
  column: number;
  field: string;
  reason: string;
  action: 'row_rejected' | 'value_blanked';
  /** The offending raw value, for the party's own eyes (the rejects file stays local). */
  value: string;
}

export interface PrepareChunkSettings {
  plan: ColumnPlan;
  profile: IdentityProfile;
  hasher: ChunkHasher;
  normalize: NormalizeOptions;
  delimiter: string;
}

/** What one chunk produced. Rows are in input order. */
export interface PreparedChunk {
  /** The prepared rows as CSV, each ending in "\n". */
  text: string;
  /** End offset in `text` of each row (exclusive). */
  ends: Uint32Array;
  /** Two 32-bit fingerprint halves per row, for duplicate removal across chunks. */
  fingerprints: Uint32Array;
  /** Per row, a bit per kind (in `kinds` order) that has a valid value in that row. */
  kindMasks: Uint16Array;
  /** The kinds behind the bits of `kindMasks`. */
  kinds: IdentifierKind[];
  rejects: RejectEntry[];
  stats: PrepareStats;
  /** Set when the chunk cannot be read past some point (an unterminated quote). */
  fatal?: { line: number; column: number; reason: string };
}

const MAX_REASONS = 24;

/**
 * Prepares one chunk of CSV bytes (starting at a record boundary): parses records,
 * normalises and hashes every identifier column, passes other columns through, and
 * reports every row-level problem with its line and column. Pure and synchronous, so it
 * runs the same in a Node worker thread and a browser Web Worker.
 *
 * @example
 * ```ts
 * const out = prepareChunk(bytes, 2, settings); // line 2: the header was line 1
 * out.text; // "e3b0c4...,store7\n..."
 * ```
 */
export function prepareChunk(bytes: Uint8Array, firstLine: number, settings: PrepareChunkSettings): PreparedChunk {
  const { plan, profile, hasher, normalize, delimiter } = settings;
  const idColumns = plan.columns.filter((c) => c.kind !== undefined);
  const kinds = [...new Set(idColumns.map((c) => c.kind as IdentifierKind))];
  const kindBit = new Map(kinds.map((k, i) => [k, 1 << i]));
  const stats = emptyStats(idColumns.map((c) => c.outputName));
  const rejects: RejectEntry[] = [];
  const parts: string[] = [];
  const ends: number[] = [];
  const masks: number[] = [];
  let length = 0;
  const fieldCount = plan.fieldCount;
  const out: string[] = new Array<string>(plan.columns.length);
  const { text, badLines } = decodeUtf8Chunk(bytes, firstLine);
  let fatal: PreparedChunk['fatal'];

  const reject = (entry: RejectEntry): void => {
    stats.rowsRejected++;
    countReason(stats.rejectReasons, entry.reason.replace(/\d+/g, 'N'));
    rejects.push(entry);
  };

  const summary = readCsvRecords(text, {
    delimiter,
    firstLine,
    onProblem: (p) => {
      stats.rowsRead++;
      if (p.fatal) fatal = { line: p.line, column: p.column, reason: p.reason };
      else reject({ line: p.line, column: 0, field: '', reason: `malformed CSV at column ${p.column}: ${p.reason}`, action: 'row_rejected', value: '' });
    },
    onRecord: (fields, line) => {
      stats.rowsRead++;
      if (badLines !== undefined) {
        const bad = badLines.find((b) => b.line >= line && fields.some((f) => f.includes('\uFFFD')));
        if (bad) {
          reject({ line: bad.line, column: 0, field: '', reason: `invalid UTF-8 at byte ${bad.byte} of the line: the file must be UTF-8 encoded`, action: 'row_rejected', value: '' });
          return;
        }
      }
      if (fields.length !== fieldCount) {
        reject({ line, column: 0, field: '', reason: `record has ${fields.length} fields, expected ${fieldCount} as in the header`, action: 'row_rejected', value: '' });
        return;
      }
      let mask = 0;
      const blanked: RejectEntry[] = [];
      for (const col of plan.columns) {
        const raw = fields[col.index] as string;
        if (col.kind === undefined) {
          out[col.index] = csvField(raw);
          continue;
        }
        const s = stats.columns[col.outputName]!;
        if (raw.length === 0 || raw.trim().length === 0) {
          out[col.index] = '';
          continue;
        }
        s.filled++;
        const existing = hasher.asExistingHash(raw);
        if (existing !== undefined) {
          s.valid++;
          s.prehashed++;
          mask |= kindBit.get(col.kind)!;
          out[col.index] = existing;
          continue;
        }
        const result = profile.normalize(col.kind, raw, normalize);
        if (result.ok) {
          s.valid++;
          mask |= kindBit.get(col.kind)!;
          out[col.index] = hasher.hash(result.value);
        } else {
          s.invalid++;
          countReason(s.reasons, result.reason);
          out[col.index] = '';
          blanked.push({ line, column: col.index + 1, field: col.header, reason: `invalid ${col.kind}: ${result.reason}`, action: 'value_blanked', value: raw });
        }
      }
      if (mask === 0) {
        // The row goes, and each value that sank it is listed so the party can fix it.
        stats.rowsRejected++;
        if (blanked.length === 0) {
          countReason(stats.rejectReasons, 'no valid identifier: every identifier column is empty');
          rejects.push({ line, column: 0, field: '', reason: 'no valid identifier: every identifier column is empty', action: 'row_rejected', value: '' });
          return;
        }
        countReason(stats.rejectReasons, 'no valid identifier: every filled identifier is invalid');
        for (const b of blanked) rejects.push({ ...b, reason: `no valid identifier: ${b.reason}`, action: 'row_rejected' });
        return;
      }
      for (const b of blanked) rejects.push(b);
      const row = out.join(',') + '\n';
      parts.push(row);
      length += row.length;
      ends.push(length);
      masks.push(mask);
    },
  });
  stats.blankLines = summary.blankLines;
  stats.rowsWritten = parts.length;

  const fingerprints = new Uint32Array(parts.length * 2);
  for (let i = 0; i < parts.length; i++) fingerprint(parts[i]!, fingerprints, i * 2);
  const result: PreparedChunk = {
    text: parts.join(''),
    ends: Uint32Array.from(ends),
    fingerprints,
    kindMasks: Uint16Array.from(masks),
    kinds,
    rejects,
    stats,
  };
  if (fatal !== undefined) result.fatal = fatal;
  return result;
}

function countReason(into: Record<string, number>, reason: string): void {
  if (into[reason] !== undefined || Object.keys(into).length < MAX_REASONS) into[reason] = (into[reason] ?? 0) + 1;
  else into.other = (into.other ?? 0) + 1;
}
