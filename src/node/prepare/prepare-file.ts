import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { CleanRoomError } from '../../core/errors.js';
import { hasIdentifier, planColumns } from '../../core/prepare/column-plan.js';
import { buildChunkSettings } from '../../core/prepare/chunk-settings.js';
import type { ChunkSettingsData } from '../../core/prepare/chunk-settings.js';
import { prepareChunk } from '../../core/prepare/prepare-chunk.js';
import type { PrepareChunkSettings } from '../../core/prepare/prepare-chunk.js';
import { prepareStream } from '../../core/prepare/prepare-stream.js';
import type { ByteSource, ChunkRunner } from '../../core/prepare/prepare-stream.js';
import { headerLooksLikeData } from '../../core/prepare/read-header.js';
import { buildReport } from '../../core/prepare/prepare-report.js';
import type { PrepareReport } from '../../core/prepare/prepare-report.js';
import type { ProfileName } from '../../core/identity/identity-profile.js';
import { blindReady } from '../../core/identity/blind/sodium.js';
import type { PrepareScheme } from '../../core/identity/hash-identifier.js';
import { AtomicOutput } from './atomic-output.js';
import { PrepareWorkerPool } from './worker-pool.js';
import { rejectsHeader, rejectsRows } from './rejects-csv.js';

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
  /** 'blind' for a double-blind collaboration: `key` then holds the blind key file's bytes. */
  hash?: PrepareScheme;
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
  if (hash === 'blind') await blindReady();
  const source = typeof options.input === 'string' ? await fileSource(options.input) : streamSource(options.input);
  const input = typeof options.input === 'string' ? options.input : (options.label ?? 'upload');
  const out = new AtomicOutput(output);
  const rejectsOut = options.rejects === undefined ? undefined : new AtomicOutput(options.rejects);
  let pool: PrepareWorkerPool | undefined;
  let encoding: PrepareChunkSettings['profile']['hashEncoding'] | undefined;
  try {
    await rejectsOut?.write(rejectsHeader());
    const { plan, stats, rowsWithKind } = await prepareStream({
      source,
      label: input,
      ...(options.delimiter ? { delimiter: options.delimiter } : {}),
      dedupe,
      start: (head) => {
        const plan = planColumns(head.header, { map: options.map ?? {}, file: input, autoDetect: options.autoDetect ?? true });
        if (!hasIdentifier(plan)) throw noIdentifier(input, head.header);
        if (hash !== 'sha256' && options.key === undefined) {
          const what = hash === 'hmac' ? 'hash with HMAC' : 'blind identifiers';
          throw new CleanRoomError('invalid_argument', `Cannot ${what}: no key given (use --key-file)`, { details: { field: 'key-file' } });
        }
        const settingsData: ChunkSettingsData = { plan, profile, defaultCountry: country, scheme: hash, delimiter: head.delimiter, ...(options.key ? { key: options.key } : {}) };
        const local = buildChunkSettings(settingsData);
        encoding = hash === 'blind' ? 'hex' : local.profile.hashEncoding;
        const workers = options.workers ?? (source.size === undefined || source.size > 4 * BLOCK ? availableParallelism() : 0);
        if (workers > 0) pool = new PrepareWorkerPool(workers, settingsData);
        const runner: ChunkRunner = pool ?? { prepare: async (bytes, line) => prepareChunk(bytes, line, local) };
        return { plan, outputHeader: plan.columns.map((c) => c.outputName), runner, inFlight: Math.max(2, workers * 3) };
      },
      write: (bytes) => out.write(bytes),
      onRejects: (rejects) => rejectsOut?.write(rejectsRows(rejects)),
      ...(onProgress ? { onProgress } : {}),
    });
    await out.commit();
    await rejectsOut?.commit();
    return buildReport({ input, output, profile, country, scheme: hash, encoding: encoding!, plan, stats, rowsWithKind, durationMs: now() - started, ...(options.rejects ? { rejects: options.rejects } : {}) });
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
interface ClosableSource extends ByteSource {
  close(): Promise<void>;
}

async function fileSource(path: string): Promise<ClosableSource> {
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

function streamSource(stream: AsyncIterable<Uint8Array>): ClosableSource {
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
