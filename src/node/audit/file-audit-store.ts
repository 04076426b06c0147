import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditEvent } from '../../core/audit/audit-event.js';
import { auditEventSchema } from '../../core/audit/audit-event.js';
import type { AuditStore } from '../../core/audit/audit-store.js';
import { assertContinues } from '../../core/audit/chain-continuity.js';
import { CleanRoomError } from '../../core/errors.js';
import { canonicalJson } from '../../core/digest/canonical-json.js';
import { syncDirectory } from '../../crypto/sealed-file.js';
import { ioError, parseJsonLine } from '../store/json-lines.js';
import { PLAIN_LINES } from '../store/line-codec.js';
import type { LineCodec } from '../store/line-codec.js';
import { readLastLine } from './read-last-line.js';

/**
 * An {@link AuditStore} in a JSON Lines file: one event per line, in canonical JSON.
 * `append` writes the line and `fdatasync`s before resolving; if either fails the file is
 * cut back to its previous length and the append rejects with a CleanRoomError
 * `io_error`. A new file's directory is synced too, so the file itself survives a crash.
 *
 * On open, a last line without its line break (a crash mid-append: never acknowledged) is
 * cut off, unless it is a complete event, which is kept. A last line that is not an audit
 * event leaves the store readable — so `verifyAuditStore` can name the break — but refuses
 * appends. One writer per file.
 *
 * @example
 * ```ts
 * const store = await FileAuditStore.open('/var/lib/cleanroom/c_1/audit.jsonl');
 * const log = new AuditLog(store, { clock: () => new Date(), genesis: auditGenesis('c_1') });
 * await log.append(entry);
 * await store.close();
 * ```
 */
export class FileAuditStore implements AuditStore {
  readonly #path: string;
  readonly #handle: FileHandle;
  #size: number;
  #last: AuditEvent | undefined;
  readonly #damage: string | undefined;
  readonly #codec: LineCodec;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, handle: FileHandle, size: number, last: AuditEvent | undefined, damage: string | undefined, codec: LineCodec) {
    this.#codec = codec;
    this.#path = path;
    this.#handle = handle;
    this.#size = size;
    this.#last = last;
    this.#damage = damage;
  }

  /** Opens (or creates) the log file at `path`; `codec` seals each line (at rest) or not. */
  static async open(path: string, codec: LineCodec = PLAIN_LINES): Promise<FileAuditStore> {
    const parseEvent = (line: string): Promise<AuditEvent | undefined> => decodeEvent(codec, line, `the last line of audit log ${path}`);
    const existed = await stat(path).then(
      () => true,
      () => false,
    );
    const handle = await open(path, 'a+').catch((error: unknown) => {
      throw ioError(`Cannot open audit log ${path}`, error);
    });
    try {
      if (!existed) await syncDirectory(dirname(path));
      const tail = await readLastLine(handle);
      let size = tail.size;
      let lastText = tail.line;
      if (!tail.terminated && tail.line !== undefined) {
        if ((await parseEvent(tail.line)) === undefined) {
          // An unterminated line is an append that never returned: it was never acknowledged.
          await handle.truncate(tail.lineStart);
          await handle.datasync();
          size = tail.lineStart;
          lastText = (await readLastLine(handle)).line;
        } else {
          await handle.write('\n');
          await handle.datasync();
          size += 1;
        }
      }
      const last = lastText === undefined ? undefined : await parseEvent(lastText);
      const damage = lastText !== undefined && last === undefined ? `its last line is not an audit event` : undefined;
      return new FileAuditStore(path, handle, size, last, damage, codec);
    } catch (error) {
      await handle.close();
      throw error instanceof CleanRoomError ? error : ioError(`Cannot open audit log ${path}`, error);
    }
  }

  append(event: AuditEvent): Promise<void> {
    const appended = this.#queue.then(() => this.#appendNow(event));
    this.#queue = appended.catch(() => undefined);
    return appended;
  }

  async last(): Promise<AuditEvent | undefined> {
    await this.#queue;
    return this.#last === undefined ? undefined : structuredClone(this.#last);
  }

  /** Yields the stored events (as written, unverified) up to the length known now. */
  async *iterate(fromSeq = 1): AsyncIterable<AuditEvent> {
    await this.#queue;
    if (this.#size === 0) return;
    // Reading only to the known length keeps a concurrent append's half line out.
    const lines = createInterface({ input: createReadStream(this.#path, { start: 0, end: this.#size - 1 }), crlfDelay: Infinity });
    let number = 0;
    for await (const line of lines) {
      number += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(await this.#codec.decode(line, `line ${number} of audit log ${this.#path}`));
      } catch (error) {
        throw new CleanRoomError('invalid_input', `Cannot read line ${number} of audit log ${this.#path} as JSON: ${(error as Error).message}`, {
          details: { file: this.#path, line: number },
        });
      }
      const seq = (value as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number' && seq < fromSeq) continue;
      yield value as AuditEvent;
    }
  }

  /** Closes the file once pending appends have settled. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#handle.close();
  }

  async #appendNow(event: AuditEvent): Promise<void> {
    if (this.#damage !== undefined) {
      throw new CleanRoomError('io_error', `Cannot append to audit log ${this.#path}: ${this.#damage}; verify it first`, {
        details: { file: this.#path },
      });
    }
    assertContinues(this.#last, event);
    const line = Buffer.from(`${await this.#codec.encode(canonicalJson(event))}\n`, 'utf8');
    const size = this.#size;
    try {
      await this.#handle.write(line);
      await this.#handle.datasync();
    } catch (error) {
      // Leave nothing half-written: the event was not acknowledged, so it must not be there.
      await this.#handle.truncate(size).catch(() => undefined);
      throw ioError(`Cannot append audit event ${event.seq} to ${this.#path}`, error);
    }
    this.#size = size + line.length;
    this.#last = structuredClone(event);
  }
}

async function decodeEvent(codec: LineCodec, line: string, where: string): Promise<AuditEvent | undefined> {
  const text = await codec.decode(line, where).catch(() => undefined);
  return text === undefined ? undefined : (parseJsonLine(text, auditEventSchema) as AuditEvent | undefined);
}
