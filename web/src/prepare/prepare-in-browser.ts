import type { ProfileName } from '../../../src/core/identity/identity-profile.js';
import { blindReady } from '../../../src/core/identity/blind/sodium.js';
import { getProfile } from '../../../src/core/identity/profiles.js';
import type { RejectEntry } from '../../../src/core/prepare/prepare-chunk.js';
import { buildReport } from '../../../src/core/prepare/prepare-report.js';
import type { PrepareReport } from '../../../src/core/prepare/prepare-report.js';
import { prepareStream } from '../../../src/core/prepare/prepare-stream.js';
import type { ByteSource } from '../../../src/core/prepare/prepare-stream.js';
import type { WorkerSetup } from './chunk-job.js';
import type { UploadPlan } from './plan-upload.js';
import type { ChunkRunner as BrowserChunkRunner } from './worker-pool.js';

/** Options of {@link prepareInBrowser}. */
export interface BrowserPrepareOptions {
  /** Plans the upload from the file's header (see planUpload). */
  plan: (header: string[]) => UploadPlan;
  profile: ProfileName;
  country?: string;
  /** Starts the chunk runner for a setup: Web Workers in the UI. */
  runner: (setup: WorkerSetup) => BrowserChunkRunner;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** The party's blind key file (bytes) for a double-blind collaboration: identifiers are blinded, not only hashed. */
  blindKey?: Uint8Array;
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
  const { profile, country = 'US', onProgress, chunkSize = 1 << 20, inFlight = 4, now = () => performance.now() } = options;
  const started = now();
  const scheme = options.blindKey === undefined ? ('sha256' as const) : ('blind' as const);
  if (scheme === 'blind') await blindReady();
  let runner: BrowserChunkRunner | undefined;
  const parts: BlobPart[] = [];
  const rejects: RejectEntry[] = [];
  try {
    const { plan, stats, rowsWithKind } = await prepareStream({
      source: blobSource(file, chunkSize),
      label: fileName(file),
      start: (head) => {
        const upload = options.plan(head.header);
        runner = options.runner({ settings: { plan: upload.plan, profile, defaultCountry: country, scheme, delimiter: head.delimiter, ...(options.blindKey === undefined ? {} : { key: options.blindKey }) }, keep: upload.keep });
        return { plan: upload.plan, outputHeader: upload.outputHeader, runner, inFlight };
      },
      write: (bytes) => {
        parts.push(bytes as Uint8Array<ArrayBuffer>);
      },
      onRejects: (chunkRejects) => {
        for (const reject of chunkRejects) if (rejects.length < MAX_REJECTS) rejects.push(reject);
      },
      ...(onProgress ? { onProgress } : {}),
    });
    const report = buildReport({
      input: fileName(file),
      output: 'prepared in the browser',
      profile,
      country,
      scheme,
      encoding: getProfile(profile).hashEncoding,
      plan,
      stats,
      rowsWithKind,
      durationMs: now() - started,
    });
    return { prepared: new Blob(parts, { type: 'text/csv' }), report, rejects };
  } finally {
    runner?.close();
  }
}

/** A File read in slices of `chunkSize` bytes. */
function blobSource(file: Blob, chunkSize: number): ByteSource {
  let position = 0;
  return {
    size: file.size,
    read: async () => {
      if (position >= file.size) return null;
      const next = new Uint8Array(await file.slice(position, position + chunkSize).arrayBuffer());
      position += next.length;
      return next.length === 0 ? null : next;
    },
  };
}

function fileName(file: Blob): string {
  return 'name' in file && typeof file.name === 'string' ? file.name : 'the file';
}
