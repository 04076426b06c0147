// The Web Worker that normalises and hashes chunks off the page's thread: set up once
// with the chunk settings, then one answer per chunk, typed arrays transferred back.
import { blindReady } from '../../../src/core/identity/blind/sodium.js';
import { createChunkPreparer } from './chunk-job.js';
import type { ChunkAnswer, ChunkJob, WorkerSetup } from './chunk-job.js';

const scope = self as unknown as { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown, transfer?: Transferable[]): void };
let prepare: Promise<ReturnType<typeof createChunkPreparer>> | undefined;

scope.onmessage = async (event: MessageEvent<{ setup: WorkerSetup } | ChunkJob>) => {
  const data = event.data;
  if ('setup' in data) {
    // Blinding needs the ristretto255 group (WebAssembly) loaded once per worker.
    const setup = data.setup;
    prepare = (setup.settings.scheme === 'blind' ? blindReady() : Promise.resolve()).then(() => createChunkPreparer(setup));
    prepare.catch(() => undefined);
    return;
  }
  let answer: ChunkAnswer;
  try {
    if (prepare === undefined) throw new Error('the prepare worker got a chunk before its setup');
    const ready = await prepare;
    const result = ready(data.bytes, data.firstLine);
    answer = { id: data.id, result };
    scope.postMessage(answer, [result.bytes.buffer, result.ends.buffer, result.fingerprints.buffer, result.kindMasks.buffer] as Transferable[]);
  } catch (error) {
    answer = { id: data.id, error: error instanceof Error ? error.message : String(error) };
    scope.postMessage(answer);
  }
};
