import { CleanRoomError } from '../errors.js';
import { concatBytes, countNewlines } from '../csv/byte-blocks.js';
import { findRecordBoundary } from '../csv/find-record-boundary.js';
import type { ColumnPlan } from './column-plan.js';
import { csvField } from './csv-field.js';
import { FingerprintSet } from './fingerprint-set.js';
import type { PreparedChunk, RejectEntry } from './prepare-chunk.js';
import { emptyStats, mergeStats } from './prepare-stats.js';
import type { PrepareStats } from './prepare-stats.js';
import { readHeader } from './read-header.js';
import type { HeaderInfo } from './read-header.js';

/** Where a host's bytes come from: a file, an HTTP upload, a browser File. */
export interface ByteSource {
  /** The next bytes, or null at the end. */
  read(): Promise<Uint8Array | null>;
  /** Total bytes when known, for progress. */
  size?: number;
}

/** Prepares chunks somewhere: worker threads, Web Workers, or the calling thread. */
export interface ChunkRunner {
  /** `bytes` is a copy the runner owns: it may transfer its buffer to a worker. */
  prepare(bytes: Uint8Array, firstLine: number): Promise<PreparedChunk>;
}

/** What the host decides once the header is known. */
export interface StreamStart {
  plan: ColumnPlan;
  /** The prepared file's header row, as written. */
  outputHeader: readonly string[];
  runner: ChunkRunner;
  /** Chunks handed to the runner before the oldest is awaited. */
  inFlight: number;
}

export interface PrepareStreamOptions {
  source: ByteSource;
  /** How to name the input in messages (a file path, a File's name). */
  label: string;
  /** The field delimiter; sniffed from the header when absent. */
  delimiter?: string;
  start(head: HeaderInfo): StreamStart;
  /** Receives the prepared CSV in order, header first. */
  write(bytes: Uint8Array): void | Promise<void>;
  /** Remove exact duplicate records (default true). */
  dedupe?: boolean;
  onRejects?(rejects: readonly RejectEntry[]): void | Promise<void>;
  /** Input bytes prepared so far, after each chunk and once at the end. */
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

/** What the whole stream produced, for the report. */
export interface StreamedPrepare {
  plan: ColumnPlan;
  stats: PrepareStats;
  rowsWithKind: Record<string, number>;
}

const MAX_RECORD = 16 << 20;

/**
 * The prepare loop of every host (`cleanroom prepare`, the server's streamed upload, the
 * browser): reads the header, cuts the bytes at record boundaries, has the runner normalise
 * and hash each chunk, keeps the chunks in input order, removes exact duplicate records and
 * counts what it wrote. The host supplies the bytes, the runner and where output goes.
 *
 * @example
 * ```ts
 * const { stats } = await prepareStream({ source, label: 'customers.csv', start: (head) => ({ plan: planColumns(head.header, { file: 'customers.csv' }), outputHeader: head.header, runner, inFlight: 4 }), write: (b) => parts.push(b) });
 * ```
 */
export async function prepareStream(options: PrepareStreamOptions): Promise<StreamedPrepare> {
  const { source, label, onProgress, dedupe = true } = options;
  let buffered: Uint8Array = new Uint8Array(0);
  let atEnd = false;
  const readMore = async (): Promise<void> => {
    const bytes = await source.read();
    if (bytes === null) atEnd = true;
    else buffered = concatBytes(buffered, bytes);
  };

  await readMore();
  const headerOptions = { file: label, ...(options.delimiter ? { delimiter: options.delimiter } : {}) };
  let head = readHeader(buffered, { atEnd, ...headerOptions });
  while (head === undefined) {
    if (buffered.length > MAX_RECORD) throw tooLong(`Cannot read the header of ${label}: the first record is longer than ${MAX_RECORD >> 20} MiB`, label, 1);
    await readMore();
    head = readHeader(buffered, { atEnd, ...headerOptions });
  }
  const { plan, outputHeader, runner, inFlight: maxInFlight } = options.start(head);
  await options.write(new TextEncoder().encode(`${outputHeader.map(csvField).join(',')}\n`));
  const stats = emptyStats(plan.columns.filter((c) => c.kind !== undefined).map((c) => c.outputName));
  const rowsWithKind: Record<string, number> = {};
  const seen = new FingerprintSet();
  // Each chunk with the input offset it ends at: progress counts prepared bytes, not sent ones.
  const pending: { chunk: Promise<PreparedChunk>; end: number }[] = [];

  const drainOne = async (): Promise<void> => {
    const next = pending.shift()!;
    const chunk = await next.chunk;
    if (chunk.fatal) {
      throw new CleanRoomError('invalid_input', `Cannot read ${label} as CSV: line ${chunk.fatal.line}, column ${chunk.fatal.column}: ${chunk.fatal.reason}`, {
        details: { file: label, line: chunk.fatal.line, column: chunk.fatal.column },
      });
    }
    mergeStats(stats, chunk.stats);
    for (const piece of keptPieces(chunk, dedupe ? seen : undefined, stats, rowsWithKind)) await options.write(piece);
    if (chunk.rejects.length > 0) await options.onRejects?.(chunk.rejects);
    if (source.size !== undefined) onProgress?.(next.end, source.size);
  };

  buffered = buffered.subarray(head.dataOffset);
  let line = head.dataLine;
  let done = head.dataOffset;
  const delimiterByte = head.delimiter.charCodeAt(0);
  for (;;) {
    let cut = atEnd ? buffered.length : findRecordBoundary(buffered, delimiterByte);
    while (cut === -1 && !atEnd) {
      if (buffered.length > MAX_RECORD) throw tooLong(`Cannot read ${label} as CSV: the record starting at line ${line} runs past ${MAX_RECORD >> 20} MiB (an unterminated quote?)`, label, line);
      await readMore();
      cut = atEnd ? buffered.length : findRecordBoundary(buffered, delimiterByte);
    }
    if (cut > 0) {
      // A copy that owns its buffer, so the runner can transfer it to a worker.
      const piece = buffered.slice(0, cut);
      if (pending.length >= Math.max(1, maxInFlight)) await drainOne();
      const firstLine = line;
      line += countNewlines(piece);
      done += cut;
      pending.push({ chunk: runner.prepare(piece, firstLine), end: done });
      buffered = buffered.subarray(cut);
    }
    if (atEnd && buffered.length === 0) break;
    if (!atEnd) await readMore();
  }
  while (pending.length > 0) await drainOne();
  if (source.size !== undefined) onProgress?.(source.size, source.size);
  return { plan, stats, rowsWithKind };
}

/** The chunk's bytes without the records `seen` already holds (when deduplicating). */
function keptPieces(chunk: PreparedChunk, seen: FingerprintSet | undefined, stats: PrepareStats, rowsWithKind: Record<string, number>): Uint8Array[] {
  if (seen === undefined) {
    for (let i = 0; i < chunk.ends.length; i++) countKinds(chunk, i, rowsWithKind);
    return chunk.bytes.length > 0 ? [chunk.bytes] : [];
  }
  const pieces: Uint8Array[] = [];
  let runStart = 0;
  let from = 0;
  for (let i = 0; i < chunk.ends.length; i++) {
    const end = chunk.ends[i]!;
    if (!seen.add(chunk.fingerprints[i * 2]!, chunk.fingerprints[i * 2 + 1]!)) {
      if (from > runStart) pieces.push(chunk.bytes.subarray(runStart, from));
      runStart = end;
      stats.duplicatesRemoved++;
      stats.rowsWritten--;
    } else countKinds(chunk, i, rowsWithKind);
    from = end;
  }
  if (chunk.bytes.length > runStart) pieces.push(chunk.bytes.subarray(runStart));
  return pieces;
}

function countKinds(chunk: PreparedChunk, row: number, into: Record<string, number>): void {
  const mask = chunk.kindMasks[row]!;
  for (let b = 0; b < chunk.kinds.length; b++) {
    if (mask & (1 << b)) into[chunk.kinds[b]!] = (into[chunk.kinds[b]!] ?? 0) + 1;
  }
}

function tooLong(message: string, file: string, line: number): CleanRoomError {
  return new CleanRoomError('invalid_input', message, { details: { file, line } });
}
