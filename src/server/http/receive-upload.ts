import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable, Transform, pipeline as pipelineCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { ApiError } from './http-error.js';

/** Options of {@link receiveUpload}. */
export interface ReceiveUploadOptions {
  /** A private directory of the data dir for incoming files. */
  dir: string;
  /** The request's Content-Encoding: identity or gzip. */
  encoding: string | undefined;
  /** Most bytes accepted on the wire. */
  maxBytes: number;
  /** Most bytes accepted after gunzip. */
  maxDecompressedBytes: number;
}

/** Prefix of every incoming file, so a restart can remove what a crash left behind. */
export const UPLOAD_PREFIX = 'upload-';

/**
 * Streams a request body to a new server-named file (mode 0600) in `dir`, gunzipping it
 * when `Content-Encoding: gzip`, and stops with `too_large` as soon as either limit is
 * passed — a gzip bomb is cut off at the decompressed limit, not inflated. The file is
 * removed on any failure; on success the caller owns it and removes it.
 *
 * @example
 * ```ts
 * const path = await receiveUpload(request.body, { dir, encoding: 'gzip', maxBytes: 1 << 30, maxDecompressedBytes: 4 << 30 });
 * ```
 */
export async function receiveUpload(body: ReadableStream<Uint8Array> | null, options: ReceiveUploadOptions): Promise<string> {
  const { dir, maxBytes, maxDecompressedBytes } = options;
  const encoding = (options.encoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new ApiError('invalid_input', `Cannot read the upload as ${encoding}: send it plain or with Content-Encoding: gzip`, { field: 'content-encoding' });
  }
  if (body === null) throw new ApiError('invalid_input', 'Cannot read the upload: the request has no body', { field: 'body' });
  const path = join(dir, `${UPLOAD_PREFIX}${randomBytes(12).toString('hex')}.csv`);
  try {
    const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
    const sink = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    if (encoding === 'gzip') await pipeline(source, limit(maxBytes, 'body'), createGunzip(), limit(maxDecompressedBytes, 'decompressed body'), sink);
    else await pipeline(source, limit(maxBytes, 'body'), sink);
    return path;
  } catch (error) {
    await rm(path, { force: true });
    if (error instanceof ApiError) throw error;
    if (typeof (error as { errno?: unknown }).errno === 'number' && (error as { code?: string }).code?.startsWith('Z_')) {
      throw new ApiError('invalid_input', 'Cannot read the upload as gzip: the compressed data is damaged', { field: 'body' });
    }
    throw error;
  }
}

/**
 * The request body as a stream of bytes, gunzipped when `Content-Encoding: gzip`, with the
 * same limits as {@link receiveUpload} — for uploads the room hashes as they arrive, so a
 * raw identifier is never written to disk.
 *
 * @example
 * ```ts
 * await room.upload(actor, id, 'fans', uploadStream(request.body, options));
 * ```
 */
export function uploadStream(body: ReadableStream<Uint8Array> | null, options: Omit<ReceiveUploadOptions, 'dir'>): AsyncIterable<Uint8Array> {
  const { maxBytes, maxDecompressedBytes } = options;
  const encoding = (options.encoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new ApiError('invalid_input', `Cannot read the upload as ${encoding}: send it plain or with Content-Encoding: gzip`, { field: 'content-encoding' });
  }
  if (body === null) throw new ApiError('invalid_input', 'Cannot read the upload: the request has no body', { field: 'body' });
  const stages: NodeJS.ReadWriteStream[] = [limit(maxBytes, 'body')];
  if (encoding === 'gzip') stages.push(createGunzip(), limit(maxDecompressedBytes, 'decompressed body'));
  const out = new PassThrough();
  // pipeline destroys every stage on a failure, so the reader sees the first error (a
  // damaged gzip stream's Z_* error is mapped to a 400 by the route).
  pipelineCallback(Readable.fromWeb(body as WebReadableStream<Uint8Array>), ...(stages as [NodeJS.ReadWriteStream]), out, () => {});
  return out;
}

function limit(max: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(new ApiError('too_large', `Cannot accept the upload: the ${what} exceeds ${max} bytes`, { limit: max }));
      else callback(null, chunk);
    },
  });
}
