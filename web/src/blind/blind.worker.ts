// The Web Worker of the second blinding: set up once with the party's key file, then blinds
// each batch it is sent (every element checked) and posts the answer back. The key stays in
// this worker and the page; only answers leave.
import { readBlindKey } from '../../../src/core/identity/blind/blind-key.js';
import type { BlindKey } from '../../../src/core/identity/blind/blind-key.js';
import { blindAnswer } from '../../../src/core/identity/blind/exchange/blind-answer.js';
import type { BlindBatch } from '../../../src/core/identity/blind/exchange/blind-batch.js';
import { blindReady } from '../../../src/core/identity/blind/sodium.js';

const scope = self as unknown as { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void };
let key: Promise<BlindKey> | undefined;

scope.onmessage = async (event: MessageEvent<{ key: Uint8Array } | { id: number; batch: BlindBatch }>) => {
  const data = event.data;
  if ('key' in data) {
    const bytes = data.key;
    key = blindReady().then(() => readBlindKey(bytes));
    key.catch(() => undefined);
    return;
  }
  try {
    if (key === undefined) throw new Error('the blind worker got a batch before the key');
    scope.postMessage({ id: data.id, answer: blindAnswer(data.batch, await key) });
  } catch (error) {
    scope.postMessage({ id: data.id, error: error instanceof Error ? error.message : String(error) });
  }
};
