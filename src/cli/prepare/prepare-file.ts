import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { CleanRoomError } from '../../core/errors.js';
import { hasIdentifier, planColumns } from '../../core/prepare/column-plan.js';
import { buildChunkSettings } from '../../core/prepare/chunk-settings.js';
import type { ChunkSettingsData } from '../../core/prepare/chunk-settings.js';
import { findRecordBoundary } from '../../core/csv/find-record-boundary.js';
import { FingerprintSet } from '../../core/prepare/fingerprint-set.js';
import { prepareChunk } from '../../core/prepare/prepare-chunk.js';
import type { PreparedChunk } from '../../core/prepare/prepare-chunk.js';
import { emptyStats, mergeStats } from '../../core/prepare/prepare-stats.js';
import { headerLooksLikeData, readHeader } from '../../core/prepare/read-header.js';
import { buildReport } from '../../core/prepare/prepare-report.js';
import type { PrepareReport } from '../../core/prepare/prepare-report.js';
import type { ProfileName } from '../../core/identity/identity-profile.js';
import { csvField } from '../../core/prepare/csv-field.js';
import { AtomicOutput } from './atomic-output.js';
import { PrepareWorkerPool } from './worker-pool.js';
import { rejectsHeader, rejectsRows } from './rejects-csv.js';
import { concatBytes as concat, countNewlines } from '../../core/csv/byte-blocks.js';

export interface PrepareFileOptions {
  /** A file path, or the bytes of a CSV as they arrive (an HTTP upload: never written raw). */
  input: string | AsyncIterable<Uint8Array>;
  /** How to name a streamed input in messages (default 'upload'). */
  label?: string;
  output: string;
  rejects?: string;
  /** kind -> header as written, e.g. { email: 'E-mail Address' }. */
  map?: Record<string, string>;
  /** Guess identifier columns from header names (default true); false: only `map`. */
  autoDetect?: boolean;
  profile?: ProfileName;
  country?: string;
  hash?: 'sha256' | 'hmac';
  key?: Uint8Array;
  delimiter?: string;
  /** Worker threads; 0 prepares on the calling thread. Default: one per core. */
  workers?: number;
  /** Remove exact duplicate prepared records (default true). */
  dedupe?: boolean;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** A clock for the report's timing; defaults to performance.now. */
  now?: () => number;
}

const BLOCK = 1 << 20;
const MAX_RECORD = 16 << 20;

/**
 * Prepares a customer CSV on the party's own machine: streams it in 1 MiB chunks through
 * worker threads that normalise and hash every identifier column, removes exact
 * duplicates, and writes the prepared file, and the rejects file when asked, under
 * temporary names renamed into place only when the whole run succeeded.
 *
 * Row-level problems are counted and listed in the rejects; file-level problems (empty
 * file, no header, no identifier column, an unterminated quote) throw a CleanRoomError
 * naming the file, line and column, and leave no output behind.
 *
 * @example
 * ```ts
 * const report = await prepareFile({ input: 'customers.csv', output: 'prepared.csv', country: 'US' });
 * report.rows.written; // 99120
 * ```
 */
export async function prepareFile(options: PrepareFileOptions): Promise<PrepareReport> {
  const { output, profile = 'default', country = 'US', hash = 'sha256', dedupe = true, onProgress, now = () => performance.now() } = options;
  const started = now();
  const source = typeof options.input === 'string' ? await fileSource(options.input) : streamSource(options.input);
  const input = typeof options.input === 'string' ? options.input : (options.label ?? 'upload');
  const size = source.size;
  const out = new AtomicOutput(output);
  const rejectsOut = options.rejects === undefined ? undefined : new AtomicOutput(options.rejects);
  let pool: PrepareWorkerPool | undefined;
  try {
    let buffered: Uint8Array = new Uint8Array(0);
    let atEnd = false;
    const readMore = async (): Promise<void> => {
      const bytes = await source.read();
      if (bytes === null) atEnd = true;
      else buffered = concat(buffered, bytes);
    };

    await readMore();
    let head = readHeader(buffered, { atEnd, file: input, ...(options.delimiter ? { delimiter: options.delimiter } : {}) });
    while (head === undefined) {
      if (buffered.length > MAX_RECORD) throw new CleanRoomError('invalid_input', `Cannot read the header of ${input}: the first record is longer than ${MAX_RECORD >> 20} MiB`, { details: { file: input, line: 1 } });
      await readMore();
      head = readHeader(buffered, { atEnd, file: input, ...(options.delimiter ? { delimiter: options.delimiter } : {}) });
    }
    const plan = planColumns(head.header, { map: options.map ?? {}, file: input, autoDetect: options.autoDetect ?? true });
    if (!hasIdentifier(plan)) throw noIdentifier(input, head.header);
    if (hash === 'hmac' && options.key === undefined) {
      throw new CleanRoomError('invalid_argument', 'Cannot hash with HMAC: no key given (use --key-file)', { details: { field: 'key-file' } });
    }
    const settingsData: ChunkSettingsData = { plan, profile, defaultCountry: country, scheme: hash, delimiter: head.delimiter, ...(options.key ? { key: options.key } : {}) };
    const local = buildChunkSettings(settingsData);
    const workers = options.workers ?? (size === undefined || size > 4 * BLOCK ? availableParallelism() : 0);
    if (workers > 0) pool = new PrepareWorkerPool(workers, settingsData);
    const prepare = (bytes: Uint8Array, line: number): Promise<PreparedChunk> =>
      pool ? pool.prepare(bytes, line) : Promise.resolve(prepareChunk(bytes, line, local));

    await out.write(plan.columns.map((c) => csvField(c.outputName)).join(',') + '\n');
    await rejectsOut?.write(rejectsHeader());
    const idNames = plan.columns.filter((c) => c.kind !== undefined).map((c) => c.outputName);
    const stats = emptyStats(idNames);
    const rowsWithKind: Record<string, number> = {};
    const seen = new FingerprintSet();
    const inFlight: Promise<PreparedChunk>[] = [];
    const maxInFlight = Math.max(2, workers * 3);

    const drainOne = async (): Promise<void> => {
      const chunk = await inFlight.shift()!;
      if (chunk.fatal) {
        throw new CleanRoomError('invalid_input', `Cannot read ${input} as CSV: line ${chunk.fatal.line}, column ${chunk.fatal.column}: ${chunk.fatal.reason}`, {
          details: { file: input, line: chunk.fatal.line, column: chunk.fatal.column },
        });
      }
      mergeStats(stats, chunk.stats);
      let kept = chunk.ends.length;
      const pieces: Uint8Array[] = [];
      if (dedupe) {
        let from = 0;
        let runStart = 0;
        for (let i = 0; i < chunk.ends.length; i++) {
          const end = chunk.ends[i]!;
          if (!seen.add(chunk.fingerprints[i * 2]!, chunk.fingerprints[i * 2 + 1]!)) {
            if (from > runStart) pieces.push(chunk.bytes.subarray(runStart, from));
            runStart = end;
            kept--;
            stats.duplicatesRemoved++;
          } else countKinds(chunk, i, rowsWithKind);
          from = end;
        }
        pieces.push(chunk.bytes.subarray(runStart));
      } else {
        for (let i = 0; i < chunk.ends.length; i++) countKinds(chunk, i, rowsWithKind);
        pieces.push(chunk.bytes);
      }
      stats.rowsWritten += kept - chunk.ends.length;
      for (const piece of pieces) if (piece.length > 0) await out.write(piece);
      if (rejectsOut && chunk.rejects.length > 0) await rejectsOut.write(rejectsRows(chunk.rejects));
    };

    buffered = buffered.subarray(head.dataOffset);
    let line = head.dataLine;
    let done = head.dataOffset;
    for (;;) {
      let cut = atEnd ? buffered.length : findRecordBoundary(buffered, head.delimiter.charCodeAt(0));
      while (cut === -1 && !atEnd) {
        if (buffered.length > MAX_RECORD) {
          throw new CleanRoomError('invalid_input', `Cannot read ${input} as CSV: the record starting at line ${line} runs past ${MAX_RECORD >> 20} MiB (an unterminated quote?)`, {
            details: { file: input, line },
          });
        }
        await readMore();
        cut = atEnd ? buffered.length : findRecordBoundary(buffered, head.delimiter.charCodeAt(0));
      }
      if (cut > 0) {
        const piece = buffered.subarray(0, cut);
        if (inFlight.length >= maxInFlight) await drainOne();
        inFlight.push(prepare(piece, line));
        line += countNewlines(piece);
        done += cut;
        if (size !== undefined) onProgress?.(done, size);
        buffered = buffered.subarray(cut);
      }
      if (atEnd && buffered.length === 0) break;
      if (!atEnd) await readMore();
    }
    while (inFlight.length > 0) await drainOne();
    await out.commit();
    await rejectsOut?.commit();
    return buildReport({ input, output, profile, country, scheme: hash, encoding: local.profile.hashEncoding, plan, stats, rowsWithKind, durationMs: now() - started, ...(options.rejects ? { rejects: options.rejects } : {}) });
  } catch (error) {
    await out.discard();
    await rejectsOut?.discard();
    throw error;
  } finally {
    await source.close();
    await pool?.close();
  }
}

/** Where prepare's bytes come from: a file read in 1 MiB blocks, or a stream as it arrives. */
interface ByteSource {
  /** The next bytes, or null at the end. */
  read(): Promise<Uint8Array | null>;
  /** Total bytes when known (files), for progress and the choice of workers. */
  size?: number;
  close(): Promise<void>;
}

async function fileSource(path: string): Promise<ByteSource> {
  const size = await fileSize(path);
  const handle = await open(path, 'r');
  let position = 0;
  return {
    size,
    read: async () => {
      if (position >= size) return null;
      const block = new Uint8Array(BLOCK);
      const { bytesRead } = await handle.read(block, 0, BLOCK, position);
      position += bytesRead;
      return bytesRead === 0 ? null : block.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

function streamSource(stream: AsyncIterable<Uint8Array>): ByteSource {
  const iterator = stream[Symbol.asyncIterator]();
  return {
    read: async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return null;
        if (next.value.length > 0) return next.value;
      }
    },
    close: async () => {
      await iterator.return?.();
    },
  };
}

function countKinds(chunk: PreparedChunk, row: number, into: Record<string, number>): void {
  const mask = chunk.kindMasks[row]!;
  for (let b = 0; b < chunk.kinds.length; b++) {
    if (mask & (1 << b)) {
      const kind = chunk.kinds[b]!;
      into[kind] = (into[kind] ?? 0) + 1;
    }
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CleanRoomError('invalid_argument', `Cannot read ${path}: it is not a regular file`, { details: { file: path } });
    return info.size;
  } catch (error) {
    if (error instanceof CleanRoomError) throw error;
    throw new CleanRoomError('not_found', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      details: { file: path },
      cause: error,
    });
  }
}

function noIdentifier(file: string, header: readonly string[]): CleanRoomError {
  const data = headerLooksLikeData(header);
  if (data !== undefined) {
    return new CleanRoomError('invalid_input', `Cannot read ${file}: it has no header row (line 1, ${data}); add a header naming the columns`, {
      details: { file, line: 1 },
    });
  }
  return new CleanRoomError(
    'invalid_input',
    `Cannot prepare ${file}: no identifier column among its headers (${header.join(', ')}); name one with --map, e.g. --map email="${header[0] ?? 'E-mail'}"`,
    { details: { file, line: 1 } },
  );
}
