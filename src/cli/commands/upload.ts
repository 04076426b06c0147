import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Collaboration } from '../../core/collaboration/collaboration.js';
import type { UploadResult } from '../../core/ingest/upload-dataset.js';
import type { PendingBlindUpload } from '../../core/ingest/blind-upload.js';
import { keyCheckOf } from './blind.js';
import type { CliIo } from '../cli-io.js';
import { clientFrom, emit, table, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';
import { prepareForUpload } from '../client/prepare-for-upload.js';
import { loadBlindKeyFile, parseCountry } from '../options.js';

interface UploadFlags extends ClientFlags {
  country: string;
  gzip?: boolean;
  workers?: string;
  keyFile?: string;
}

/**
 * `cleanroom upload <collaboration> <dataset> <file>`: prepares the file here first
 * (normalise + hash the template's identifier columns), so raw identifiers never travel,
 * then streams the prepared file to the server. A template that hashes in the room gets
 * the file as it is.
 *
 * @example
 * ```ts
 * registerUpload(program, io); // cleanroom upload c_123 policyholders customers.csv --gzip
 * ```
 */
export function registerUpload(program: Command, io: CliIo): void {
  withClientOptions(
    program
      .command('upload <collaboration> <dataset> <file>')
      .description("Prepare a dataset file on this machine and upload it as the dataset's next version")
      .option('--country <code>', 'default country for phones and postal codes', parseCountry, 'US')
      .option('--gzip', 'compress the upload')
      .option('--workers <n>', 'preparation worker threads (default: one per core)')
      .option('--key-file <path>', 'your blind key (cleanroom keygen --blind), for a double-blind template'),
  ).action(async (id: string, dataset: string, file: string, flags: UploadFlags) => {
    const client = clientFrom(flags, io);
    const path = `/v1/collaborations/${encodeURIComponent(id)}`;
    const c = await client.json<Collaboration>('GET', path);
    const target = `${path}/datasets/${encodeURIComponent(dataset)}`;
    let result: UploadResult | PendingBlindUpload;
    if (c.template.identity.hashing === 'room') {
      io.stderr.write(`template ${c.template.name} hashes in the room: uploading ${file} as it is\n`);
      result = await client.putFile<UploadResult>(target, file, { gzip: flags.gzip === true });
    } else {
      const bar = io.stderr.isTTY && flags.json !== true ? new cliProgress.SingleBar({ stream: io.stderr as never, format: 'preparing [{bar}] {percentage}% | eta {eta}s', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(100, 0);
      const blindKey = c.template.identity.hashing === 'double-blind' && flags.keyFile !== undefined ? await loadBlindKeyFile(flags.keyFile) : undefined;
      const prepared = await prepareForUpload(file, c.template, dataset, {
        country: flags.country,
        ...(blindKey !== undefined ? { blindKey } : {}),
        ...(flags.workers !== undefined ? { workers: Number.parseInt(flags.workers, 10) } : {}),
        ...(bar !== undefined ? { onProgress: (done: number, total: number) => bar.update(Math.floor((done / Math.max(1, total)) * 100)) } : {}),
      }).finally(() => bar?.stop());
      try {
        if (flags.json !== true) io.stderr.write(`prepared ${prepared.report.rows.written} rows on this machine; uploading\n`);
        const headers = blindKey !== undefined ? { 'x-cleanroom-key-check': await keyCheckOf(blindKey) } : undefined;
        result = await client.putFile<UploadResult | PendingBlindUpload>(target, prepared.path, { gzip: flags.gzip === true, ...(headers !== undefined ? { headers } : {}) });
      } finally {
        await prepared.cleanup();
      }
    }
    emit(io, flags, result, () => {
      if ('status' in result) {
        return `uploaded ${result.dataset} (upload ${result.upload}, ${result.rows} rows, ${result.singles} blinded identifiers): it waits for the other party's blinding in ${result.batches} batches (they run cleanroom blind sync ${id}); it is loaded when the last batch is answered`;
      }
      const r = result.report;
      const lines = [`uploaded ${result.dataset} version ${result.version}: ${r.rowsRead} rows read, ${r.rowsStored} stored, ${r.rowsRejected} rejected, ${r.duplicatesRemoved} duplicates removed`];
      if (r.rejects.length > 0) lines.push('', table(r.rejects.slice(0, 20).map((x) => ({ ...x })), ['line', 'column', 'reason']));
      return lines.join('\n');
    });
  });
}
