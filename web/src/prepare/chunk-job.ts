import type { ChunkSettingsData } from '../../../src/core/prepare/chunk-settings.js';
import { prepareChunk } from '../../../src/core/prepare/prepare-chunk.js';
import type { PrepareChunkSettings, PreparedChunk } from '../../../src/core/prepare/prepare-chunk.js';
import { buildBrowserChunkSettings } from './browser-chunk-settings.js';
import { projectChunk } from './project-chunk.js';

/** What a prepare worker is set up with: the chunk settings and the columns to keep. */
export interface WorkerSetup {
  settings: ChunkSettingsData;
  /** Input column indexes to write, in output order; null keeps every column as is. */
  keep: number[] | null;
}

/** One chunk sent to a worker. */
export interface ChunkJob {
  id: number;
  bytes: Uint8Array;
  firstLine: number;
}

/** A worker's answer to one job. */
export type ChunkAnswer = { id: number; result: PreparedChunk } | { id: number; error: string };

/**
 * A chunk preparer for one setup: live settings built once (their value caches last across
 * chunks), then prepareChunk and the projection per chunk. Runs in the Web Worker, and on
 * the page itself where no Worker is wanted (tests).
 *
 * @example
 * ```ts
 * const prepare = createChunkPreparer({ settings, keep: [0, 2] });
 * const chunk = prepare(bytes, 2);
 * ```
 */
export function createChunkPreparer(setup: WorkerSetup): (bytes: Uint8Array, firstLine: number) => PreparedChunk {
  const settings: PrepareChunkSettings = buildBrowserChunkSettings(setup.settings);
  return (bytes, firstLine) => {
    const chunk = prepareChunk(bytes, firstLine, settings);
    return setup.keep === null || chunk.fatal !== undefined ? chunk : projectChunk(chunk, setup.keep);
  };
}
