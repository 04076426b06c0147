import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { CleanRoomError } from '../../core/errors.js';
import { KeyedLock } from '../../core/room/keyed-lock.js';
import { syncDirectory, syncFile } from '../../crypto/sealed-file.js';
import { ioError, parseJsonLine } from './json-lines.js';
import { PLAIN_LINES } from './line-codec.js';
import type { LineCodec } from './line-codec.js';

/** Keys become file names: a collaboration id. */
const SAFE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/** What one directory of logs holds, for its messages: `{ name: 'privacy ledger', item: 'ledger entry', ... }`. */
export interface LogNaming {
  /** The log, as in "Cannot read privacy ledger /path". */
  name: string;
  /** One line, as in "line 2 is not a ledger entry". */
  item: string;
  /** What stops while a file is damaged, as in "no run of this collaboration can be charged". */
  blocked: string;
}

/** One key's log once read: its items and the file's length in bytes. */
interface OpenLog<T> {
  items: T[];
  size: number;
}

/**
 * Append-only JSON Lines files, one per key (per collaboration), `<dir>/<key>.jsonl`, each
 * line one item checked against a schema: the persistence of the privacy ledgers and of the
 * difference check's release memory. Written by hand over `node:fs` because what matters is
 * exactly when bytes are durable, which no general log library promises in these terms:
 *
 * - `append` writes its lines and `fdatasync`s before it resolves, so an acknowledged item
 *   survives a crash; a failed write is cut back off, leaving the file as it was; a new
 *   file's directory is synced too. With `expectedLength` it compares and appends under a
 *   per-key lock, and says false if the log holds another number of items.
 * - One process per directory (the data directory's lock). Should another writer have grown
 *   the file since it was read, an append says false and the file is read again.
 * - A crash mid-append can leave a last line without its line break. On first use of that
 *   key: a whole item is kept (finished with its line break): for both users counting an
 *   item that was never acknowledged is only the cautious side (a charge overstates the
 *   spend, a remembered release holds back more). A line cut short was never acknowledged:
 *   its bytes are moved, not dropped, to `<key>.jsonl.torn` (appended, synced) and the log
 *   continues from the last whole line. Any other damage (a line that is not an item,
 *   followed by more lines) refuses every read and append of that key with `io_error`
 *   until an operator repairs the file; a repaired file is read again without a restart.
 *
 * @example
 * ```ts
 * const logs = await JsonLinesLogs.open('/var/lib/cleanroom/ledger', entrySchema, { name: 'privacy ledger', item: 'ledger entry', blocked: 'no run of this collaboration can be charged' });
 * await logs.append('c_1', [entry], 0); // true: the log held 0 items and now holds 1, on disk
 * ```
 */
export class JsonLinesLogs<T> {
  readonly #dir: string;
  readonly #schema: z.ZodType<T>;
  readonly #naming: LogNaming;
  readonly #logs = new Map<string, Promise<OpenLog<T>>>();
  readonly #locks = new KeyedLock();
  readonly #codec: (key: string) => LineCodec;

  private constructor(dir: string, schema: z.ZodType<T>, naming: LogNaming, codec: (key: string) => LineCodec) {
    this.#dir = dir;
    this.#schema = schema;
    this.#naming = naming;
    this.#codec = codec;
  }

  /**
   * Opens (creating it, mode 0700) the directory of log files; each file is read on first
   * use. `codec` says how each key's lines are stored (sealed under its collaboration's key).
   */
  static async open<T>(dir: string, schema: z.ZodType<T>, naming: LogNaming, codec: (key: string) => LineCodec = () => PLAIN_LINES): Promise<JsonLinesLogs<T>> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new JsonLinesLogs(dir, schema, naming, codec);
  }

  /** A copy of the key's items, in append order. */
  async read(key: string): Promise<T[]> {
    return structuredClone((await this.#log(key)).items);
  }

  /**
   * Appends `items` (checked against the schema first: `invalid_argument` names the field)
   * and resolves once they are on disk; with `expectedLength`, only if the log holds exactly
   * that many items, and says whether it did.
   */
  append(key: string, items: readonly T[], expectedLength?: number): Promise<boolean> {
    return this.#locks.run(key, async () => {
      const log = await this.#log(key);
      if (expectedLength !== undefined && log.items.length !== expectedLength) return false;
      if (items.length === 0) return true;
      for (const item of items) {
        const checked = this.#schema.safeParse(item);
        if (!checked.success) {
          const issue = checked.error.issues[0];
          throw new CleanRoomError('invalid_argument', `Cannot append to ${this.#naming.name} ${key} as ${JSON.stringify(item).slice(0, 200)}: ${issue?.path.join('.')} ${issue?.message}`);
        }
      }
      const codec = this.#codec(key);
      const lines = await Promise.all(items.map((item) => codec.encode(JSON.stringify(item))));
      const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
      const size = log.size;
      const path = this.#path(key);
      // Opened per append (appends are one per run or upload): no descriptor is held per collaboration.
      const handle = await open(path, 'r+').catch((error: unknown) => {
        throw ioError(`Cannot open ${this.#naming.name} ${path}`, error);
      });
      try {
        if ((await handle.stat()).size !== size) {
          // Someone else wrote this file since it was read: read it again, and let the caller retry.
          this.#logs.delete(key);
          return false;
        }
        await handle.write(bytes, 0, bytes.length, size);
        await handle.datasync();
      } catch (error) {
        // Not acknowledged, so it must not count later either.
        await handle.truncate(size).catch(() => undefined);
        throw ioError(`Cannot append to ${this.#naming.name} ${path}`, error);
      } finally {
        await handle.close();
      }
      log.size = size + bytes.length;
      log.items.push(...structuredClone(items));
      return true;
    });
  }

  #path(key: string): string {
    return join(this.#dir, `${key}.jsonl`);
  }

  #log(key: string): Promise<OpenLog<T>> {
    if (!SAFE_KEY.test(key)) {
      return Promise.reject(new CleanRoomError('invalid_argument', `Cannot use ${this.#naming.name} key ${JSON.stringify(key.slice(0, 80))}: expected 1 to 64 letters, digits, _ or -`));
    }
    let found = this.#logs.get(key);
    if (found === undefined) {
      found = this.#load(key);
      this.#logs.set(key, found);
      // A damaged file is re-read on the next call, so a repaired file needs no restart.
      found.catch(() => this.#logs.get(key) === found && this.#logs.delete(key));
    }
    return found;
  }

  async #load(key: string): Promise<OpenLog<T>> {
    const { name, item, blocked } = this.#naming;
    const path = this.#path(key);
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw ioError(`Cannot read ${name} ${path}`, error);
    });
    if (bytes === undefined) {
      const handle = await open(path, 'a', 0o600).catch((error: unknown) => {
        throw ioError(`Cannot create ${name} ${path}`, error);
      });
      await handle.close();
      await syncDirectory(this.#dir);
      return { items: [], size: 0 };
    }
    // Bytes, not text: a crash may cut a line inside a multi-byte character.
    const end = bytes.lastIndexOf(0x0a) + 1;
    const torn = bytes.subarray(end);
    const items: T[] = [];
    const lines = end === 0 ? [] : bytes.subarray(0, end - 1).toString('utf8').split('\n');
    const codec = this.#codec(key);
    const decode = (line: string, where: string): Promise<T | undefined> =>
      codec.decode(line, where).then(
        (text) => parseJsonLine(text, this.#schema),
        () => undefined,
      );
    for (const [index, line] of lines.entries()) {
      const parsed = await decode(line, `line ${index + 1} of ${path}`);
      if (parsed === undefined) {
        throw new CleanRoomError('io_error', `Cannot read ${name} ${path}: line ${index + 1} is not a ${item}${codec === PLAIN_LINES ? '' : " (or does not open with this collaboration's key)"}; ${blocked} until the file is repaired`, {
          details: { file: path, line: index + 1 },
        });
      }
      items.push(parsed);
    }
    if (torn.length === 0) return { items, size: bytes.length };
    const handle = await open(path, 'r+').catch((error: unknown) => {
      throw ioError(`Cannot open ${name} ${path}`, error);
    });
    try {
      let size = bytes.length;
      const whole = await decode(torn.toString('utf8'), `the last line of ${path}`);
      if (whole !== undefined) {
        // Written whole but maybe never acknowledged: keeping it is the cautious side.
        await handle.write('\n', size);
        size += 1;
        items.push(whole);
      } else {
        await writeFile(`${path}.torn`, `${JSON.stringify({ offset: end, base64: torn.toString('base64') })}\n`, { flag: 'a', mode: 0o600 });
        await syncFile(`${path}.torn`);
        await handle.truncate(end);
        size = end;
      }
      await handle.datasync();
      return { items, size };
    } catch (error) {
      throw error instanceof CleanRoomError ? error : ioError(`Cannot repair the last line of ${name} ${path}`, error);
    } finally {
      await handle.close();
    }
  }
}

