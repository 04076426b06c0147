import { findRecordBoundary } from '../../../src/core/csv/find-record-boundary.js';
import { CleanRoomError } from '../../../src/core/errors.js';
import type { ProfileName } from '../../../src/core/identity/identity-profile.js';
import { getProfile } from '../../../src/core/identity/profiles.js';
import { csvField } from '../../../src/core/prepare/csv-field.js';
import { FingerprintSet } from '../../../src/core/prepare/fingerprint-set.js';
import type { PreparedChunk, RejectEntry } from '../../../src/core/prepare/prepare-chunk.js';
import { buildReport } from '../../../src/core/prepare/prepare-report.js';
import type { PrepareReport } from '../../../src/core/prepare/prepare-report.js';
import { emptyStats, mergeStats } from '../../../src/core/prepare/prepare-stats.js';
import { readHeader } from '../../../src/core/prepare/read-header.js';
import type { WorkerSetup } from './chunk-job.js';
import type { UploadPlan } from './plan-upload.js';
import type { ChunkRunner } from './worker-pool.js';
import { concatBytes as concat, countNewlines } from '../../../src/core/csv/byte-blocks.js';

/** Options of {@link prepareInBrowser}. */
export interface BrowserPrepareOptions {
  /** Plans the upload from the file's header (see planUpload). */
  plan: (header: string[]) => UploadPlan;
  profile: ProfileName;
  country?: string;
  /** Starts the chunk runner for a setup: Web Workers in the UI. */
  runner: (setup: WorkerSetup) => ChunkRunner;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Bytes read per step (default 1 MiB, as `cleanroom prepare`). */
  chunkSize?: number;
  /** Chunks prepared at once (default 4). */
  inFlight?: number;
  now?: () => number;
}

/** The prepared file, its quality report and the first row-level problems. */
export interface BrowserPrepareResult {
  prepared: Blob;
  report: PrepareReport;
  /** Up to 200 rejects, with raw values: for the party's eyes only, never uploaded. */
  rejects: RejectEntry[];
}

const MAX_RECORD = 16 << 20;
const MAX_REJECTS = 200;

/**
 * `cleanroom prepare` in the browser: reads a File in 1 MiB chunks cut at record
 * boundaries, has the runner (Web Workers) normalise and hash each chunk, removes exact
 * duplicate records, and assembles the prepared CSV as a Blob. For a file whose columns
 * are the template's, the bytes equal those of `cleanroom prepare` in template mode.
 *
 * @example
 * ```ts
 * const { prepared, report } = await prepareInBrowser(file, { plan: (h) => planUpload(h, dataset, mapping), profile: 'default', runner: (s) => createWorkerPool(s, 2) });
 * await fetch(url, { method: 'PUT', body: prepared });
 * ```
 */
export async function prepareInBrowser(file: Blob, options: BrowserPrepareOptions): Promise<BrowserPrepareResult> {
  const { profile, country = 'US', onProgress, chunkSize = 1 << 20, inFlight: maxInFlight = 4, now = () => performance.now() } = options;
  const started = now();
  const size = file.size;
  let position = 0;
  let buffered: Uint8Array = new Uint8Array(0);
  let atEnd = size === 0;
  const readMore = async (): Promise<void> => {
    const next = new Uint8Array(await file.slice(position, position + chunkSize).arrayBuffer());
    position += next.length;
    atEnd = next.length === 0 || position >= size;
    buffered = concat(buffered, next);
  };

  await readMore();
  let head = readHeader(buffered, { atEnd, file: fileName(file) });
  while (head === undefined) {
    if (buffered.length > MAX_RECORD) throw new CleanRoomError('invalid_input', `Cannot read the header of ${fileName(file)}: the first record is longer than 16 MiB`);
    await readMore();
    head = readHeader(buffered, { atEnd, file: fileName(file) });
  }
  const upload = options.plan(head.header);
  const runner = options.runner({ settings: { plan: upload.plan, profile, defaultCountry: country, scheme: 'sha256', delimiter: head.delimiter }, keep: upload.keep });
  try {
    const parts: BlobPart[] = [`${upload.outputHeader.map(csvField).join(',')}\n`];
    const stats = emptyStats(upload.plan.columns.filter((c) => c.kind !== undefined).map((c) => c.outputName));
    const rowsWithKind: Record<string, number> = {};
    const rejects: RejectEntry[] = [];
    const seen = new FingerprintSet();
    // Each chunk with the file offset it ends at: progress counts prepared bytes, not sent ones.
    const pending: { chunk: Promise<PreparedChunk>; end: number }[] = [];

    const drainOne = async (): Promise<void> => {
      const next = pending.shift()!;
      const chunk = await next.chunk;
      if (chunk.fatal) {
        throw new CleanRoomError('invalid_input', `Cannot read ${fileName(file)} as CSV: line ${chunk.fatal.line}, column ${chunk.fatal.column}: ${chunk.fatal.reason}`);
      }
      mergeStats(stats, chunk.stats);
      for (const reject of chunk.rejects) if (rejects.length < MAX_REJECTS) rejects.push(reject);
      let runStart = 0;
      let from = 0;
      for (let i = 0; i < chunk.ends.length; i++) {
        const end = chunk.ends[i]!;
        if (!seen.add(chunk.fingerprints[i * 2]!, chunk.fingerprints[i * 2 + 1]!)) {
          if (from > runStart) parts.push(chunk.bytes.subarray(runStart, from) as Uint8Array<ArrayBuffer>);
          runStart = end;
          stats.duplicatesRemoved++;
          stats.rowsWritten--;
        } else countKinds(chunk, i, rowsWithKind);
        from = end;
      }
      if (chunk.bytes.length > runStart) parts.push(chunk.bytes.subarray(runStart) as Uint8Array<ArrayBuffer>);
      onProgress?.(next.end, size);
    };

    buffered = buffered.subarray(head.dataOffset);
    let line = head.dataLine;
    let done = head.dataOffset;
    const delimiterByte = head.delimiter.charCodeAt(0);
    for (;;) {
      let cut = atEnd ? buffered.length : findRecordBoundary(buffered, delimiterByte);
      while (cut === -1 && !atEnd) {
        if (buffered.length > MAX_RECORD) throw new CleanRoomError('invalid_input', `Cannot read ${fileName(file)} as CSV: the record starting at line ${line} runs past 16 MiB (an unterminated quote?)`);
        await readMore();
        cut = atEnd ? buffered.length : findRecordBoundary(buffered, delimiterByte);
      }
      if (cut > 0) {
        // A copy that owns its buffer, so the runner can transfer it to a worker.
        const piece = buffered.slice(0, cut);
        if (pending.length >= maxInFlight) await drainOne();
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
    onProgress?.(size, size);
    const report = buildReport({
      input: fileName(file),
      output: 'prepared in the browser',
      profile,
      country,
      scheme: 'sha256',
      encoding: getProfile(profile).hashEncoding,
      plan: upload.plan,
      stats,
      rowsWithKind,
      durationMs: now() - started,
    });
    return { prepared: new Blob(parts, { type: 'text/csv' }), report, rejects };
  } finally {
    runner.close();
  }
}

function fileName(file: Blob): string {
  return 'name' in file && typeof file.name === 'string' ? file.name : 'the file';
}

function countKinds(chunk: PreparedChunk, row: number, into: Record<string, number>): void {
  const mask = chunk.kindMasks[row]!;
  for (let b = 0; b < chunk.kinds.length; b++) {
    if (mask & (1 << b)) into[chunk.kinds[b]!] = (into[chunk.kinds[b]!] ?? 0) + 1;
  }
}
