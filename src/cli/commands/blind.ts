import { cpus } from 'node:os';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { blindReady, readBlindKey, toHex } from '../../core/identity/blind/index.js';
import { keyCheck } from '../../core/identity/blind/exchange/index.js';
import type { BlindBatch } from '../../core/identity/blind/exchange/index.js';
import type { BlindAnswerResult, BlindStatus } from '../../core/ingest/blind-upload.js';
import { BlindWorkerPool } from '../../node/blind/blind-pool.js';
import type { CliIo } from '../cli-io.js';
import type { ApiClient } from '../client/api-client.js';
import { clientFrom, emit, table, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';
import { loadBlindKeyFile } from '../options.js';

interface SyncFlags extends ClientFlags {
  keyFile: string;
  workers?: string;
}

/** What one sync did. */
export interface SyncSummary {
  answered: number;
  elements: number;
  loaded: { dataset: string; version: number; rowsStored: number }[];
  failed: { dataset: string; message: string }[];
  /** The party's own uploads still awaiting the other party. */
  mine: BlindStatus['mine'];
}

/**
 * The party's key check, as the upload header and the sync register it.
 *
 * @example
 * ```ts
 * await keyCheckOf(await loadBlindKeyFile('blind.key')); // '5e1f…' (64 hex)
 * ```
 */
export async function keyCheckOf(keyFile: Uint8Array): Promise<string> {
  await blindReady();
  return toHex(keyCheck(readBlindKey(keyFile)));
}

/**
 * The party's side of the double-blind exchange: register its key check, then blind a second
 * time every batch of the other party's uploads that waits for it, on worker threads, the
 * next batch fetched while one is blinded. It asks the room what waits, so a sync cut off
 * goes on from where it stopped when run again.
 *
 * @example
 * ```ts
 * const summary = await syncBlind(client, 'c_123', await loadBlindKeyFile('blind.key'), { workers: 2 });
 * summary.loaded; // [{ dataset: 'policyholders', version: 1, rowsStored: 1000 }]
 * ```
 */
export async function syncBlind(client: ApiClient, id: string, keyFile: Uint8Array, options: { workers: number; onBatch?: (done: number, total: number) => void }): Promise<SyncSummary> {
  const base = `/v1/collaborations/${encodeURIComponent(id)}/blind`;
  await client.json('PUT', `${base}/key-check`, { keyCheck: await keyCheckOf(keyFile) });
  const summary: SyncSummary = { answered: 0, elements: 0, loaded: [], failed: [], mine: [] };
  const pool = new BlindWorkerPool(options.workers, keyFile);
  try {
    const status = await client.json<BlindStatus>('GET', base);
    const jobs = status.toBlind.flatMap((u) => u.waiting.map((index) => ({ path: `${base}/${encodeURIComponent(u.dataset)}/${u.upload}/${index}`, dataset: u.dataset })));
    options.onBatch?.(0, jobs.length);
    let next = jobs.length > 0 ? client.json<BlindBatch>('GET', jobs[0]!.path) : undefined;
    for (const [i, job] of jobs.entries()) {
      const batch = await next!;
      next = i + 1 < jobs.length ? client.json<BlindBatch>('GET', jobs[i + 1]!.path) : undefined;
      // A prefetch that fails is reported when its turn comes, not as an unhandled rejection.
      next?.catch(() => undefined);
      const answer = await pool.answer(batch);
      const result = await client.json<BlindAnswerResult>('PUT', job.path, answer);
      summary.answered++;
      summary.elements += batch.elements.length;
      if (result.loaded !== undefined) summary.loaded.push({ dataset: result.loaded.dataset, version: result.loaded.version, rowsStored: result.loaded.report.rowsStored });
      if (result.failed !== undefined) summary.failed.push({ dataset: job.dataset, message: result.failed.message });
      options.onBatch?.(i + 1, jobs.length);
    }
    summary.mine = (await client.json<BlindStatus>('GET', base)).mine;
    return summary;
  } finally {
    await pool.close();
  }
}

/**
 * `cleanroom blind sync <collaboration> --key-file blind.key`: blinds a second time, with the
 * party's own key, what the other party uploaded to a double-blind collaboration; the room
 * loads each upload when its last batch is answered.
 *
 * @example
 * ```ts
 * registerBlind(program, io); // cleanroom blind sync c_123 --key-file blind.key
 * ```
 */
export function registerBlind(program: Command, io: CliIo): void {
  const blind = program.command('blind').description('The double-blind exchange of a collaboration (docs/double-blind.md)');
  withClientOptions(
    blind
      .command('sync <collaboration>')
      .description("Blind a second time, with your own key, the other party's uploads that wait for you; resumes where a cut-off sync stopped")
      .requiredOption('--key-file <path>', 'your blind key (cleanroom keygen --blind), the same as for your uploads')
      .option('--workers <n>', 'blinding worker threads (default: one per core)'),
  ).action(async (id: string, flags: SyncFlags) => {
    const client = clientFrom(flags, io);
    const keyFile = await loadBlindKeyFile(flags.keyFile);
    const workers = flags.workers !== undefined ? Math.max(1, Number.parseInt(flags.workers, 10) || 1) : Math.max(1, cpus().length);
    const bar = io.stderr.isTTY && flags.json !== true ? new cliProgress.SingleBar({ stream: io.stderr as never, format: 'blinding [{bar}] {value}/{total} batches | eta {eta}s', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    let started = false;
    const summary = await syncBlind(client, id, keyFile, {
      workers,
      onBatch: (done, total) => {
        if (bar === undefined) return;
        if (!started) bar.start(total, done);
        started = true;
        bar.update(done);
      },
    }).finally(() => bar?.stop());
    emit(io, flags, summary, () => {
      const lines = [`blinded ${summary.answered} batches (${summary.elements} elements) of the other party's uploads`];
      for (const l of summary.loaded) lines.push(`loaded ${l.dataset} version ${l.version}: ${l.rowsStored} rows stored`);
      for (const f of summary.failed) lines.push(`the load of ${f.dataset} failed: ${f.message}`);
      if (summary.mine.length > 0) lines.push('', 'your uploads awaiting the other party:', table(summary.mine.map((m) => ({ ...m })), ['dataset', 'upload', 'batches', 'waiting']));
      return lines.join('\n');
    });
  });
}
