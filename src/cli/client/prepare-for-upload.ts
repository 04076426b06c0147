import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';
import { readHeader } from '../../core/prepare/read-header.js';
import type { PrepareReport } from '../../core/prepare/prepare-report.js';
import type { Template } from '../../core/template/index.js';
import { prepareFile } from '../../node/prepare/prepare-file.js';

/** Options of {@link prepareForUpload}. */
export interface PrepareForUploadOptions {
  country?: string;
  /** The bytes of the party's blind key file: required for a double-blind template. */
  blindKey?: Uint8Array;
  workers?: number;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/**
 * Prepares a raw dataset file on this machine for a template that hashes on the client
 * (SHA-256, or blinded with the party's own key for a double-blind template):
 * the dataset's identifier columns present in the header are mapped by their template
 * names (template mode, nothing guessed), normalised and hashed into a private temporary
 * file; every other column passes through. Returns the file, the report and a cleanup.
 *
 * @example
 * ```ts
 * const prepared = await prepareForUpload('customers.csv', template, 'policyholders');
 * try { await client.putFile(path, prepared.path); } finally { await prepared.cleanup(); }
 * ```
 */
export async function prepareForUpload(
  input: string,
  template: Template,
  dataset: string,
  options: PrepareForUploadOptions = {},
): Promise<{ path: string; report: PrepareReport; cleanup: () => Promise<void> }> {
  const spec = Object.hasOwn(template.datasets, dataset) ? template.datasets[dataset] : undefined;
  if (spec === undefined) throw new CleanRoomError('not_found', `Cannot prepare ${input} for dataset '${dataset}': template ${template.name} has no such dataset (datasets: ${Object.keys(template.datasets).join(', ')})`, { details: { field: 'dataset' } });
  const header = await fileHeader(input);
  const present = new Set(header.map((h) => h.trim().toLowerCase()));
  const map: Record<string, string> = {};
  for (const [name, column] of Object.entries(spec.columns)) {
    if (column.identifier !== undefined && present.has(name.toLowerCase())) map[column.identifier] = name;
  }
  if (Object.keys(map).length === 0) {
    const expected = Object.entries(spec.columns).filter(([, column]) => column.identifier !== undefined).map(([name]) => name);
    throw new CleanRoomError('invalid_input', `Cannot prepare ${input} for dataset '${dataset}': its header (${header.join(', ')}) has none of the template's identifier columns (${expected.join(', ')}); start from its CSV template: cleanroom collab csv-template <collaboration> ${dataset}`, {
      details: { file: input, line: 1 },
    });
  }
  const blinded = template.identity.hashing === 'double-blind';
  if (blinded && options.blindKey === undefined) {
    throw new CleanRoomError('invalid_argument', `Cannot prepare ${input} for template ${template.name}: it matches double-blind, so your blind key is needed (--key-file, written by cleanroom keygen --blind)`, { details: { field: 'key-file' } });
  }
  const output = join(tmpdir(), `cleanroom-upload-${randomBytes(8).toString('hex')}.csv`);
  const report = await prepareFile({
    input,
    output,
    map,
    autoDetect: false,
    profile: template.identity.profile,
    ...(blinded ? { hash: 'blind' as const, key: options.blindKey! } : {}),
    ...(options.country !== undefined ? { country: options.country } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  return { path: output, report, cleanup: () => rm(output, { force: true }) };
}

async function fileHeader(input: string): Promise<string[]> {
  const handle = await open(input, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new CleanRoomError(error.code === 'ENOENT' ? 'not_found' : 'io_error', `Cannot read ${input}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, { details: { file: input } });
  });
  try {
    const buffer = new Uint8Array(1 << 20);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const info = readHeader(buffer.subarray(0, bytesRead), { atEnd: bytesRead < buffer.length, file: input });
    if (info === undefined) throw new CleanRoomError('invalid_input', `Cannot read ${input}: it has no header line`, { details: { file: input, line: 1 } });
    return info.header;
  } finally {
    await handle.close();
  }
}
