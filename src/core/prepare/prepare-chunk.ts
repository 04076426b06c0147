import { readCsvRecords } from '../csv/read-csv-records.js';
import type { IdentifierKind, NormalizeOptions } from '../identity/identifier-kind.js';
import type { IdentityProfile } from '../identity/identity-profile.js';
import type { ColumnPlan } from './column-plan.js';
import { fingerprintFields } from './fingerprint.js';
import { emptyStats } from './prepare-stats.js';
import type { PrepareStats } from './prepare-stats.js';
import { decodeUtf8Chunk } from './decode-utf8-chunk.js';
import { csvField } from './csv-field.js';
import { ValueCache } from './value-cache.js';

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
  /** One memo per input column (by index), kept across the chunks a worker prepares. */
  caches?: ValueCache[];
  profile: IdentityProfile;
  hasher: ChunkHasher;
  normalize: NormalizeOptions;
  delimiter: string;
}

/** What one chunk produced. Rows are in input order. */
export interface PreparedChunk {
  /** The prepared rows as UTF-8 CSV, each ending in "\n" (transferable, no copy). */
  bytes: Uint8Array;
  /** End offset in `bytes` of each row (exclusive). */
  ends: Uint32Array;
  /** Two 32-bit fingerprint halves per row (of its input fields), for duplicate removal across chunks. */
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
 * new TextDecoder().decode(out.bytes); // "e3b0c4...,store7\n..."
 * ```
 */
export function prepareChunk(bytes: Uint8Array, firstLine: number, settings: PrepareChunkSettings): PreparedChunk {
  const { plan, profile, hasher, normalize, delimiter } = settings;
  const idColumns = plan.columns.filter((c) => c.kind !== undefined);
  const kinds = [...new Set(idColumns.map((c) => c.kind as IdentifierKind))];
  const stats = emptyStats(idColumns.map((c) => c.outputName));
  const caches = (settings.caches ??= plan.columns.map(() => new ValueCache()));
  // Everything a column needs per row, looked up once per chunk instead of per value.
  const steps = plan.columns.map((col) => ({
    col,
    kind: col.kind,
    bit: col.kind === undefined ? 0 : 1 << kinds.indexOf(col.kind),
    stats: col.kind === undefined ? undefined : stats.columns[col.outputName]!,
    cache: caches[col.index]!,
  }));
  const last = steps.length - 1;
  const rejects: RejectEntry[] = [];
  const parts: string[] = [];
  const ends: number[] = [];
  const masks: number[] = [];
  const prints: number[] = [];
  const scratch = new Uint32Array(2);
  let length = 0;
  const fieldCount = plan.fieldCount;
  const { text: input, badLines } = decodeUtf8Chunk(bytes, firstLine);
  let fatal: PreparedChunk['fatal'];

  const reject = (entry: RejectEntry): void => {
    stats.rowsRejected++;
    countReason(stats.rejectReasons, entry.reason.replace(/\d+/g, 'N'));
    rejects.push(entry);
  };

  const summary = readCsvRecords(input, {
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
      let blanked: RejectEntry[] | undefined;
      let row = '';
      for (let i = 0; i <= last; i++) {
        const step = steps[i]!;
        const value = fields[i]!;
        let cell = '';
        if (step.kind === undefined) {
          cell = csvField(value);
        } else if (value.length !== 0 && !(value.charCodeAt(0) <= 32 && value.trim().length === 0)) {
          const s = step.stats!;
          s.filled++;
          const cache = step.cache;
          let hash: string | undefined;
          let reason: string | undefined;
          const cached = cache.enabled ? cache.get(value) : undefined;
          if (cached !== undefined) {
            hash = cached.hash;
            reason = cached.reason;
          } else {
            hash = hasher.asExistingHash(value);
            if (hash !== undefined) {
              s.prehashed++;
            } else {
              const result = profile.normalize(step.kind, value, normalize);
              if (result.ok) hash = hasher.hash(result.value);
              else reason = result.reason;
              if (cache.enabled) cache.set(value, hash !== undefined ? { hash } : { reason: reason! });
            }
          }
          if (hash !== undefined) {
            s.valid++;
            mask |= step.bit;
            cell = hash;
          } else {
            s.invalid++;
            countReason(s.reasons, reason!);
            (blanked ??= []).push({ line, column: i + 1, field: step.col.header, reason: `invalid ${step.kind}: ${reason!}`, action: 'value_blanked', value });
          }
        }
        row += i === last ? `${cell}\n` : `${cell},`;
      }
      if (mask === 0) {
        // The row goes, and each value that sank it is listed so the party can fix it.
        stats.rowsRejected++;
        if (blanked === undefined) {
          countReason(stats.rejectReasons, 'no valid identifier: every identifier column is empty');
          rejects.push({ line, column: 0, field: '', reason: 'no valid identifier: every identifier column is empty', action: 'row_rejected', value: '' });
          return;
        }
        countReason(stats.rejectReasons, 'no valid identifier: every filled identifier is invalid');
        for (const b of blanked) rejects.push({ ...b, reason: `no valid identifier: ${b.reason}`, action: 'row_rejected' });
        return;
      }
      if (blanked !== undefined) for (const b of blanked) rejects.push(b);
      // Duplicates are exact duplicate input records: the fingerprint is of the record as read.
      fingerprintFields(fields, scratch, 0);
      prints.push(scratch[0]!, scratch[1]!);
      parts.push(row);
      length += row.length;
      ends.push(length);
      masks.push(mask);
    },
  });
  stats.blankLines = summary.blankLines;
  stats.rowsWritten = parts.length;

  const text = parts.join('');
  const encoded = encoder.encode(text);
  const result: PreparedChunk = {
    bytes: encoded,
    // Hashes are ASCII; only non-ASCII pass-through values make bytes differ from chars.
    ends: encoded.length === text.length ? Uint32Array.from(ends) : byteEnds(parts),
    fingerprints: Uint32Array.from(prints),
    kindMasks: Uint16Array.from(masks),
    kinds,
    rejects,
    stats,
  };
  if (fatal !== undefined) result.fatal = fatal;
  return result;
}

const encoder = new TextEncoder();

function byteEnds(parts: readonly string[]): Uint32Array {
  const ends = new Uint32Array(parts.length);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    at += encoder.encode(parts[i]!).length;
    ends[i] = at;
  }
  return ends;
}

function countReason(into: Record<string, number>, reason: string): void {
  if (into[reason] !== undefined || Object.keys(into).length < MAX_REASONS) into[reason] = (into[reason] ?? 0) + 1;
  else into.other = (into.other ?? 0) + 1;
}
