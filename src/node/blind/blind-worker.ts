// The worker thread of `BlindWorkerPool`: loads the group and the party's key once, then
// blinds each slice of elements it is sent (checking every one) and posts the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { blind, blindReady, readBlindKey, readElement, toHex } from '../../core/identity/blind/index.js';

interface SliceJob {
  id: number;
  elements: string[];
  label: string;
  offset: number;
}

const port = parentPort;
if (port === null) throw new Error('blind-worker must run as a worker thread');
// Messages wait in the port's queue until the listener below is attached.
await blindReady();
const key = readBlindKey(workerData as Uint8Array);

port.on('message', (job: SliceJob) => {
  try {
    const out = job.elements.map((text, i) => {
      const where = `${job.label}, item ${job.offset + i}`;
      return toHex(blind(readElement(text, where), key, where));
    });
    port.postMessage({ id: job.id, elements: out });
  } catch (error) {
    port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error), code: (error as { code?: string }).code });
  }
});
