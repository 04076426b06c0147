import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChunkSettingsData } from '../../core/prepare/chunk-settings.js';
import type { PreparedChunk } from '../../core/prepare/prepare-chunk.js';
import type { ChunkRunner } from '../../core/prepare/prepare-stream.js';

interface Pending {
  bytes: Uint8Array;
  firstLine: number;
  resolve: (chunk: PreparedChunk) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of prepare worker threads fed from one queue: each idle worker takes the
 * next chunk, so a slow chunk never holds up the others.
 *
 * @example
 * ```ts
 * const pool = new PrepareWorkerPool(2, settingsData);
 * const chunk = await pool.prepare(bytes, 2);
 * await pool.close();
 * ```
 */
export class PrepareWorkerPool implements ChunkRunner {
  readonly #idle: Worker[] = [];
  readonly #queue: Pending[] = [];
  readonly #busy = new Map<Worker, Pending>();
  readonly #all: Worker[] = [];
  #failure: Error | undefined;

  constructor(size: number, settings: ChunkSettingsData) {
    const url = workerScriptUrl();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { workerData: settings });
      worker.on('message', (msg: { result?: PreparedChunk; error?: string }) => this.#done(worker, msg));
      worker.on('error', (error) => this.#fail(error));
      this.#all.push(worker);
      this.#idle.push(worker);
    }
  }

  /** Prepares one chunk on the next free worker; a chunk that owns its buffer moves to the worker. */
  prepare(bytes: Uint8Array, firstLine: number): Promise<PreparedChunk> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#queue.push({ bytes, firstLine, resolve, reject });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((w) => w.terminate()));
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#busy.set(worker, job);
      // prepareStream hands over chunks that own their buffer; anything else (a Buffer's view
      // into a shared pool, which the transfer would detach) is copied first.
      const owned = job.bytes.buffer instanceof ArrayBuffer && job.bytes.byteOffset === 0 && job.bytes.byteLength === job.bytes.buffer.byteLength;
      const bytes = owned ? (job.bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(job.bytes);
      worker.postMessage({ id: 0, bytes, firstLine: job.firstLine }, [bytes.buffer]);
    }
  }

  #done(worker: Worker, msg: { result?: PreparedChunk; error?: string }): void {
    const job = this.#busy.get(worker);
    this.#busy.delete(worker);
    this.#idle.push(worker);
    if (job) {
      if (msg.result) job.resolve(msg.result);
      else job.reject(new Error(msg.error ?? 'prepare worker failed'));
    }
    this.#pump();
  }

  #fail(error: Error): void {
    this.#failure = error;
    for (const job of [...this.#busy.values(), ...this.#queue]) job.reject(error);
    this.#busy.clear();
    this.#queue.length = 0;
  }
}

/**
 * The compiled worker script. Under the test runner this module is TypeScript source,
 * and worker threads cannot load .ts files, so the built copy under dist/ is used.
 */
function workerScriptUrl(): URL {
  const here = new URL('./prepare-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = fileURLToPath(here).replace(/([\\/])src([\\/])node([\\/])/, '$1dist$2src$2node$3');
  return pathToFileURL(built);
}
