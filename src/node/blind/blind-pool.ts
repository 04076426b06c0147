import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CleanRoomError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';
import type { BlindBatch, BlindedBatch } from '../../core/identity/blind/exchange/index.js';

interface Reply {
  id: number;
  elements?: string[];
  error?: string;
  code?: ErrorCode;
}

/**
 * Worker threads that blind a batch with the party's key in parallel: the batch is cut
 * into one slice per worker, each slice checked and blinded on its own thread, the slices
 * joined back in order. The key file's bytes are sent to each worker once.
 *
 * @example
 * ```ts
 * const pool = new BlindWorkerPool(2, await readFile('blind.key'));
 * const answer = await pool.answer(batch); // what blindAnswer(batch, key) gives, on 2 cores
 * await pool.close();
 * ```
 */
export class BlindWorkerPool {
  readonly #workers: Worker[] = [];
  readonly #waiting = new Map<number, { resolve: (elements: string[]) => void; reject: (error: Error) => void }>();
  #next = 0;

  constructor(size: number, keyFile: Uint8Array) {
    const url = workerScriptUrl();
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(url, { workerData: keyFile });
      worker.on('message', (reply: Reply) => this.#reply(reply));
      worker.on('error', (error) => this.#failAll(error));
      this.#workers.push(worker);
    }
  }

  /**
   * Blind every element (hex) of a list; `label` names the list in errors.
   *
   * @example
   * ```ts
   * await pool.blind(['e2f2…'], 'batch 0 of a_keys version 1'); // ['…']
   * ```
   */
  async blind(elements: readonly string[], label: string): Promise<string[]> {
    const size = Math.ceil(elements.length / this.#workers.length);
    const slices = this.#workers.map((worker, i) => {
      const offset = i * size;
      const part = elements.slice(offset, offset + size);
      if (part.length === 0) return Promise.resolve([]);
      const id = this.#next++;
      return new Promise<string[]>((resolve, reject) => {
        this.#waiting.set(id, { resolve, reject });
        worker.postMessage({ id, elements: part, label, offset });
      });
    });
    return (await Promise.all(slices)).flat();
  }

  /**
   * The party's answer to one batch, as `blindAnswer` gives it.
   *
   * @example
   * ```ts
   * await pool.answer(batch); // { ref, digest, elements }
   * ```
   */
  async answer(batch: BlindBatch): Promise<BlindedBatch> {
    const label = `batch ${batch.ref.index} of ${batch.ref.dataset} version ${batch.ref.version}`;
    return { ref: batch.ref, digest: batch.digest, elements: await this.blind(batch.elements, label) };
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #reply(reply: Reply): void {
    const job = this.#waiting.get(reply.id);
    if (job === undefined) return;
    this.#waiting.delete(reply.id);
    if (reply.elements !== undefined) job.resolve(reply.elements);
    else job.reject(new CleanRoomError(reply.code ?? 'internal', reply.error ?? 'blind worker failed'));
  }

  #failAll(error: Error): void {
    for (const job of this.#waiting.values()) job.reject(error);
    this.#waiting.clear();
  }
}

/** The compiled worker script (under the test runner, the built copy under dist/). */
function workerScriptUrl(): URL {
  const here = new URL('./blind-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = fileURLToPath(here).replace(/([\\/])src([\\/])node([\\/])/, '$1dist$2src$2node$3');
  return pathToFileURL(built);
}
