import type { PreparedChunk } from '../../../src/core/prepare/prepare-chunk.js';
import type { ChunkRunner as CoreChunkRunner } from '../../../src/core/prepare/prepare-stream.js';
import { createChunkPreparer } from './chunk-job.js';
import type { ChunkAnswer, WorkerSetup } from './chunk-job.js';

/** The core's chunk runner, in Web Workers or (tests) on the calling thread, that the page closes. */
export interface ChunkRunner extends CoreChunkRunner {
  close(): void;
}

/**
 * A small pool of prepare Web Workers, chunks dealt round-robin. Every worker gets the
 * same setup, so any worker can take any chunk; answers come back by job id.
 *
 * @example
 * ```ts
 * const pool = createWorkerPool({ settings, keep: null }, 2);
 * const chunk = await pool.prepare(bytes, 2);
 * pool.close();
 * ```
 */
export function createWorkerPool(setup: WorkerSetup, size: number): ChunkRunner {
  const waiting = new Map<number, { resolve: (chunk: PreparedChunk) => void; reject: (error: Error) => void }>();
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(new URL('./prepare.worker.ts', import.meta.url), { type: 'module', name: 'cleanroom-prepare' });
    worker.onmessage = (event: MessageEvent<ChunkAnswer>) => {
      const answer = event.data;
      const pending = waiting.get(answer.id);
      waiting.delete(answer.id);
      if ('error' in answer) pending?.reject(new Error(answer.error));
      else pending?.resolve(answer.result);
    };
    worker.onerror = (event) => {
      for (const pending of waiting.values()) pending.reject(new Error(`The prepare worker failed: ${event.message}`));
      waiting.clear();
    };
    worker.postMessage({ setup });
    return worker;
  });
  let next = 0;
  return {
    prepare(bytes, firstLine) {
      const id = next++;
      return new Promise<PreparedChunk>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        // The chunk's buffer moves to the worker: the page keeps no copy of raw values.
        workers[id % workers.length]!.postMessage({ id, bytes, firstLine }, [bytes.buffer]);
      });
    },
    close() {
      for (const worker of workers) worker.terminate();
    },
  };
}

/**
 * A runner that prepares on the calling thread, for tests and for pages without Worker.
 *
 * @example
 * ```ts
 * const runner = createInlineRunner({ settings, keep: null });
 * ```
 */
export function createInlineRunner(setup: WorkerSetup): ChunkRunner {
  const prepare = createChunkPreparer(setup);
  return { prepare: async (bytes, firstLine) => prepare(bytes, firstLine), close: () => undefined };
}
