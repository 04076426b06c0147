// The worker thread of `prepareFile`: builds the chunk settings once, then prepares
// each chunk of bytes it is sent and posts the result back (typed arrays transferred).
import { parentPort, workerData } from 'node:worker_threads';
import { blindReady } from '../../core/identity/blind/sodium.js';
import { buildChunkSettings } from '../../core/prepare/chunk-settings.js';
import type { ChunkSettingsData } from '../../core/prepare/chunk-settings.js';
import { prepareChunk } from '../../core/prepare/prepare-chunk.js';

interface ChunkJob {
  id: number;
  bytes: Uint8Array;
  firstLine: number;
}

const data = workerData as ChunkSettingsData;
// Messages wait in the port's queue until the listener below is attached.
if (data.scheme === 'blind') await blindReady();
const settings = buildChunkSettings(data);
const port = parentPort;
if (port === null) throw new Error('prepare-worker must run as a worker thread');

port.on('message', (job: ChunkJob) => {
  try {
    const result = prepareChunk(job.bytes, job.firstLine, settings);
    port.postMessage({ id: job.id, result }, [result.bytes.buffer as ArrayBuffer, result.ends.buffer as ArrayBuffer, result.fingerprints.buffer as ArrayBuffer, result.kindMasks.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
