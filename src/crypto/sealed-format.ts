import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { CleanRoomError } from '../core/errors.js';

/*
 * The sealed format: every byte of dataset content the room keeps on disk is in it.
 * Written by hand over node:crypto's AES-256-GCM because no npm library seals a stream
 * in authenticated chunks with truncation detection and a purpose label (the STREAM
 * construction of Hoang, Reyhanitabar, Rogaway and Vizár, as age and Tink's streaming AEAD do):
 *
 *   header  = "CRSEAL01" ‖ chunk size (u32 BE) ‖ 0 (u32) ‖ salt (32 random bytes)     48 bytes
 *   subkey  = HKDF-SHA256(data key, salt, "cleanroom.sealed/v1\0" ‖ label)               per file
 *   chunk i = AES-256-GCM(subkey, nonce = last (u32 BE, 0 or 1) ‖ i (u64 BE), aad = header)
 *
 * Every chunk but the last holds exactly `chunk size` bytes of plaintext; the last holds
 * 0..chunk size and is the only one sealed with last = 1. So a reordered, dropped,
 * appended or cut chunk, a file of another label (another room, another run) and any
 * flipped bit all fail authentication. Not detected: a whole older file put back in place
 * (rollback), which needs write access to the data directory.
 */

const MAGIC = Buffer.from('CRSEAL01', 'latin1');
const HEADER_BYTES = 48;
const TAG_BYTES = 16;
/** Plaintext bytes per chunk: large enough that the tag and the call cost vanish. */
export const SEALED_CHUNK_BYTES = 1 << 20;

/**
 * Where a sealed value comes from, for the error when it does not open: a file path or a
 * description ("line 7 of /data/ledger/c_1.jsonl").
 */
export type SealedSource = string;

function subkey(key: Uint8Array, salt: Buffer, label: string): Buffer {
  if (key.length !== 32) throw new CleanRoomError('invalid_argument', `Cannot seal with a key of ${key.length} bytes: a data key is 32 bytes`);
  return Buffer.from(hkdfSync('sha256', key, salt, Buffer.concat([Buffer.from('cleanroom.sealed/v1\0', 'latin1'), Buffer.from(label, 'utf8')]), 32));
}

function nonce(index: number, last: boolean): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(last ? 1 : 0, 0);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

function newHeader(chunkBytes: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(chunkBytes, 8);
  randomBytes(32).copy(header, 16);
  return header;
}

function unreadable(source: SealedSource, why: string): CleanRoomError {
  return new CleanRoomError('io_error', `Cannot read ${source}: ${why}`, { details: { file: source } });
}

class Sealer {
  readonly header: Buffer;
  readonly #key: Buffer;
  #index = 0;

  constructor(key: Uint8Array, label: string, readonly chunkBytes: number) {
    this.header = newHeader(chunkBytes);
    this.#key = subkey(key, this.header.subarray(16), label);
  }

  chunk(plain: Buffer, last: boolean): Buffer {
    return Buffer.concat(this.parts(plain, last));
  }

  /** The chunk as its pieces (ciphertext, tag), for a stream to push without copying. */
  parts(plain: Buffer, last: boolean): Buffer[] {
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce(this.#index++, last));
    cipher.setAAD(this.header);
    const body = cipher.update(plain);
    cipher.final();
    return [body, cipher.getAuthTag()];
  }
}

class Opener {
  readonly unit: number;
  readonly #key: Buffer;
  readonly #header: Buffer;
  #index = 0;

  constructor(key: Uint8Array, label: string, header: Buffer, readonly source: SealedSource) {
    if (!header.subarray(0, 8).equals(MAGIC)) throw unreadable(source, 'it is not a sealed cleanroom file (no CRSEAL01 header)');
    const chunkBytes = header.readUInt32BE(8);
    if (chunkBytes === 0 || chunkBytes > 1 << 26) throw unreadable(source, `its header names a chunk of ${chunkBytes} bytes`);
    this.unit = chunkBytes + TAG_BYTES;
    this.#header = Buffer.from(header);
    this.#key = subkey(key, this.#header.subarray(16), label);
  }

  chunk(sealed: Buffer, last: boolean): Buffer {
    const at = this.#index;
    if (sealed.length < TAG_BYTES) throw unreadable(this.source, `it is truncated (chunk ${at} has ${sealed.length} bytes)`);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce(this.#index++, last));
    decipher.setAAD(this.#header);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw unreadable(
        this.source,
        last
          ? `chunk ${at} (at byte ${HEADER_BYTES + at * this.unit}) does not authenticate: the file was changed, truncated, or sealed with another key or for another use`
          : `chunk ${at} (at byte ${HEADER_BYTES + at * this.unit}) does not authenticate: the file was changed, or sealed with another key or for another use`,
      );
    }
  }
}

/**
 * Seals one value whole (a JSON record, a line): header, then its chunks.
 *
 * @example
 * ```ts
 * const sealed = sealBytes(dataKey, 'run:c_1/r_9', Buffer.from(json));
 * unsealBytes(dataKey, 'run:c_1/r_9', sealed, '/data/store/runs/c_1/r_9.json').toString(); // json
 * ```
 */
export function sealBytes(key: Uint8Array, label: string, plain: Uint8Array, chunkBytes = SEALED_CHUNK_BYTES): Buffer {
  const sealer = new Sealer(key, label, chunkBytes);
  const parts = [sealer.header];
  const data = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  let at = 0;
  while (data.length - at > chunkBytes) {
    parts.push(sealer.chunk(data.subarray(at, at + chunkBytes), false));
    at += chunkBytes;
  }
  parts.push(sealer.chunk(data.subarray(at), true));
  return Buffer.concat(parts);
}

/**
 * Opens a value sealed by {@link sealBytes} or {@link sealStream}: every chunk is
 * authenticated, or it fails with 'io_error' naming `source` and the chunk.
 *
 * @example
 * ```ts
 * unsealBytes(dataKey, 'run:c_1/r_9', tampered, 'runs/c_1/r_9.json'); // throws io_error
 * ```
 */
export function unsealBytes(key: Uint8Array, label: string, sealed: Uint8Array, source: SealedSource): Buffer {
  const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (data.length < HEADER_BYTES) throw unreadable(source, `it is truncated (${data.length} bytes, shorter than the header)`);
  const opener = new Opener(key, label, data.subarray(0, HEADER_BYTES), source);
  const parts: Buffer[] = [];
  let at = HEADER_BYTES;
  while (data.length - at > opener.unit) {
    parts.push(opener.chunk(data.subarray(at, at + opener.unit), false));
    at += opener.unit;
  }
  parts.push(opener.chunk(data.subarray(at), true));
  return Buffer.concat(parts);
}

/** Buffers arriving in pieces, taken off the front in exact sizes. */
class Pending {
  #parts: Buffer[] = [];
  length = 0;

  push(part: Buffer): void {
    this.#parts.push(part);
    this.length += part.length;
  }

  take(n: number): Buffer {
    // Copy only when the bytes span pieces: a 1 MiB read usually holds a whole chunk.
    const first = this.#parts[0];
    if (first !== undefined && first.length >= n) {
      const rest = first.subarray(n);
      if (rest.length > 0) this.#parts[0] = rest;
      else this.#parts.shift();
      this.length -= n;
      return first.subarray(0, n);
    }
    const all = Buffer.concat(this.#parts);
    const taken = all.subarray(0, n);
    const rest = all.subarray(n);
    this.#parts = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return taken;
  }
}

/**
 * A Transform that seals what is written through it, for files of any size in flat memory.
 *
 * @example
 * ```ts
 * await pipeline(createReadStream('room.duckdb'), sealStream(dataKey, 'room:c_1'), createWriteStream('room.duckdb.sealed'));
 * ```
 */
export function sealStream(key: Uint8Array, label: string, chunkBytes = SEALED_CHUNK_BYTES): Transform {
  const sealer = new Sealer(key, label, chunkBytes);
  const pending = new Pending();
  let started = false;
  return new Transform({
    transform(part: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      if (!started) {
        started = true;
        this.push(sealer.header);
      }
      pending.push(part);
      // A full chunk is sealed as "not last" only once a byte after it has arrived.
      while (pending.length > chunkBytes) for (const piece of sealer.parts(pending.take(chunkBytes), false)) this.push(piece);
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(sealer.header);
      for (const piece of sealer.parts(pending.take(pending.length), true)) this.push(piece);
      done();
    },
  });
}

/**
 * A Transform that opens a sealed stream, failing (an 'io_error' naming `source`) at the
 * first chunk that does not authenticate and at a stream that stops before its last chunk.
 *
 * @example
 * ```ts
 * await pipeline(createReadStream(sealed), unsealStream(dataKey, 'room:c_1', sealed), createWriteStream(plain));
 * ```
 */
export function unsealStream(key: Uint8Array, label: string, source: SealedSource): Transform {
  const pending = new Pending();
  let opener: Opener | undefined;
  return new Transform({
    transform(part: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        pending.push(part);
        if (opener === undefined) {
          if (pending.length < HEADER_BYTES) return done();
          opener = new Opener(key, label, pending.take(HEADER_BYTES), source);
        }
        while (pending.length > opener.unit) this.push(opener.chunk(pending.take(opener.unit), false));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (opener === undefined) throw unreadable(source, `it is truncated (${pending.length} bytes, shorter than the header)`);
        this.push(opener.chunk(pending.take(pending.length), true));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
