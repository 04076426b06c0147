import type { BlindBatch, BlindedBatch } from '../../../src/core/identity/blind/exchange/blind-batch.js';
import type { Resources } from '../api/resources.js';

/** What a sync in the browser did. */
export interface BrowserSyncResult {
  answered: number;
  loaded: string[];
  failed: string[];
}

/**
 * The party's side of the double-blind exchange in the browser, as `cleanroom blind sync`:
 * register its key check, then for every batch that waits for it, fetch it, blind it in a Web
 * Worker, answer it; `onProgress(done, total)` after each. It asks the room what waits, so a
 * sync cut off (a closed tab) goes on from where it stopped.
 *
 * @example
 * ```ts
 * await syncInBrowser(room, c.id, key, (done, total) => setProgress(done / total));
 * ```
 */
export async function syncInBrowser(room: Resources, id: string, key: { bytes: Uint8Array; keyCheck: string }, onProgress: (done: number, total: number) => void): Promise<BrowserSyncResult> {
  await room.registerBlindKey(id, key.keyCheck);
  const status = await room.blindStatus(id);
  const jobs = status.toBlind.flatMap((u) => u.waiting.map((index) => ({ dataset: u.dataset, upload: u.upload, index })));
  const worker = new Worker(new URL('./blind.worker.ts', import.meta.url), { type: 'module', name: 'cleanroom-blind' });
  const waiting = new Map<number, { resolve: (answer: BlindedBatch) => void; reject: (error: Error) => void }>();
  worker.onmessage = (event: MessageEvent<{ id: number; answer?: BlindedBatch; error?: string }>) => {
    const job = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    if (event.data.answer !== undefined) job?.resolve(event.data.answer);
    else job?.reject(new Error(event.data.error ?? 'the blind worker failed'));
  };
  worker.onerror = (event) => {
    for (const job of waiting.values()) job.reject(new Error(`The blind worker failed: ${event.message}`));
    waiting.clear();
  };
  worker.postMessage({ key: key.bytes });
  const blindInWorker = (id: number, batch: BlindBatch) =>
    new Promise<BlindedBatch>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, batch });
    });
  const result: BrowserSyncResult = { answered: 0, loaded: [], failed: [] };
  try {
    onProgress(0, jobs.length);
    for (const [n, job] of jobs.entries()) {
      const batch = await room.blindBatch(id, job.dataset, job.upload, job.index);
      const answer = await room.answerBlindBatch(id, job.dataset, job.upload, job.index, await blindInWorker(n, batch));
      result.answered++;
      if (answer.loaded !== undefined) result.loaded.push(answer.loaded.dataset);
      if (answer.failed !== undefined) result.failed.push(`${job.dataset}: ${answer.failed.message}`);
      onProgress(n + 1, jobs.length);
    }
    return result;
  } finally {
    worker.terminate();
  }
}
