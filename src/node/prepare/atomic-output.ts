import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A file written under a temporary name beside its target and renamed over it only on
 * {@link AtomicOutput.commit}: a failed run never leaves a half-written file or
 * replaces a good one. {@link AtomicOutput.discard} removes the temporary file.
 *
 * @example
 * ```ts
 * const out = new AtomicOutput('prepared.csv');
 * await out.write('email\n');
 * await out.commit();
 * ```
 */
export class AtomicOutput {
  readonly path: string;
  readonly tempPath: string;
  readonly #stream: WriteStream;
  #error: Error | undefined;
  #closed = false;

  constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    this.#stream = createWriteStream(this.tempPath, { flags: 'wx', mode: 0o600 });
    this.#stream.on('error', (error) => {
      this.#error = error;
    });
  }

  /** Writes text, waiting when the stream's buffer is full (backpressure). */
  async write(text: string | Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    if (!this.#stream.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        this.#stream.once('error', onError);
        this.#stream.once('drain', () => {
          this.#stream.off('error', onError);
          resolve();
        });
      });
    }
  }

  /** Flushes, closes and renames the file into place. */
  async commit(): Promise<void> {
    await this.#close();
    if (this.#error) throw this.#error;
    await rename(this.tempPath, this.path);
  }

  /** Closes and deletes the temporary file; the target is left as it was. */
  async discard(): Promise<void> {
    await this.#close().catch(() => {});
    await unlink(this.tempPath).catch(() => {});
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve, reject) => {
      this.#stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }
}
