import { formatBlindKey, toHex } from '../../src/core/identity/blind/index.js';
import type { BlindKey } from '../../src/core/identity/blind/index.js';
import { blindAnswer, keyCheck } from '../../src/core/identity/blind/exchange/index.js';
import type { BlindBatch } from '../../src/core/identity/blind/exchange/index.js';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';

/** A request helper like the server harness's `call`. */
export type Call = (method: string, path: string, options?: { key?: string; json?: unknown; headers?: Record<string, string> }) => Promise<Response>;

/**
 * A party's `cleanroom prepare --hash blind` of a raw file: normalised, hashed and blinded
 * with its own key (`map`: identifier kind -> column, for files whose headers are not
 * auto-detected).
 *
 * @example
 * ```ts
 * await blindPrepare('a.raw.csv', 'a.blinded.csv', keyA);
 * ```
 */
export async function blindPrepare(input: string, output: string, key: BlindKey, map?: Record<string, string>): Promise<string> {
  await prepareFile({ input, output, workers: 0, dedupe: false, hash: 'blind', key: new TextEncoder().encode(formatBlindKey(key)), ...(map === undefined ? {} : { map, autoDetect: false }) });
  return output;
}

/** The key check header of a party's blind key. */
export function keyCheckHeader(key: BlindKey): Record<string, string> {
  return { 'x-cleanroom-key-check': toHex(keyCheck(key)) };
}

/**
 * A party's side of the exchange over HTTP, as `cleanroom blind sync` does it: register its
 * key check, then fetch, blind and answer every batch that waits for it. Returns what the
 * room loaded.
 *
 * @example
 * ```ts
 * const loaded = await syncOverHttp(h.call, `/v1/collaborations/${id}`, partner.apiKey, keyB);
 * ```
 */
export async function syncOverHttp(call: Call, base: string, apiKey: string, key: BlindKey): Promise<unknown[]> {
  const ok = async <T>(res: Response): Promise<T> => {
    if (res.status !== 200) throw new Error(`${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  await ok(await call('PUT', `${base}/blind/key-check`, { key: apiKey, json: { keyCheck: toHex(keyCheck(key)) } }));
  const status = await ok<{ toBlind: { dataset: string; upload: number; waiting: number[] }[] }>(await call('GET', `${base}/blind`, { key: apiKey }));
  const loaded: unknown[] = [];
  for (const u of status.toBlind) {
    for (const index of u.waiting) {
      const path = `${base}/blind/${u.dataset}/${u.upload}/${index}`;
      const batch = await ok<BlindBatch>(await call('GET', path, { key: apiKey }));
      const result = await ok<{ loaded?: unknown }>(await call('PUT', path, { key: apiKey, json: blindAnswer(batch, key) }));
      if (result.loaded !== undefined) loaded.push(result.loaded);
    }
  }
  return loaded;
}
