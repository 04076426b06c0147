import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { LedgerEntry, LedgerStore } from '../../core/privacy/budget/ledger-store.js';
import { CleanRoomError } from '../../core/errors.js';
import { KeyedLock } from '../../core/room/keyed-lock.js';
import { ioError, parseJsonLine, syncDirectory } from './json-lines.js';

/** Keys become file names: a collaboration id. */
const SAFE_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const RATIONAL = /^-?\d{1,400}\/\d{1,400}$/;

const entrySchema = z.strictObject({
  party: z.string().min(1).max(200),
  cost: z.strictObject({ epsilon: z.string().regex(RATIONAL), delta: z.string().regex(RATIONAL), rho: z.string().regex(RATIONAL) }),
  at: z.number().finite(),
  period: z.number().int(),
  reference: z.string().max(200).optional(),
});

/** One key's log once read: its entries and the file's length in bytes. */
interface OpenLog {
  entries: LedgerEntry[];
  size: number;
}

/**
 * A durable {@link LedgerStore}: one append-only JSON Lines file per key (per collaboration),
 * `<dir>/<key>.jsonl`, one charge per line. `append` compares and appends under a per-key
 * lock, writes the line and `fdatasync`s before it says true, so an acknowledged charge
 * survives a crash; a failed write is cut back off, leaving the file as it was. A new file's
 * directory is synced too. One process per directory (as with the audit log); should another
 * writer have grown the file since it was read, the append says false and the file is read
 * again, so the ledger re-checks against the charges it did not know.
 *
 * A crash mid-append can leave a last line without its line break. On first use of that
 * key: if the line is a whole charge, it is kept (finished with its line break): counting a
 * charge that was never acknowledged only overstates what was spent. If it is cut short,
 * its charge was never acknowledged, so no release was made against it; the bytes are
 * moved, not dropped, to `<key>.jsonl.torn` (appended, synced) and the log continues from
 * the last whole line. Any other damage (a line that is not a charge, followed by more
 * lines) refuses every read and append of that key with `io_error` until an operator
 * repairs the file: the budget can never be computed from a log it cannot read.
 *
 * @example
 * ```ts
 * const store = await FileLedgerStore.open('/var/lib/cleanroom/ledger');
 * const ledger = new PrivacyLedger({ store, key: collaboration.id, clock: () => Date.now(), ...ledgerBudgetOf(policy) });
 * ```
 */
export class FileLedgerStore implements LedgerStore {
  readonly #dir: string;
  readonly #logs = new Map<string, Promise<OpenLog>>();
  readonly #locks = new KeyedLock();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** Opens (creating it, mode 0700) the directory of ledger files; each file is read on first use. */
  static async open(dir: string): Promise<FileLedgerStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new FileLedgerStore(dir);
  }

  async read(key: string): Promise<readonly LedgerEntry[]> {
    const log = await this.#log(key);
    return structuredClone(log.entries);
  }

  append(key: string, entry: LedgerEntry, expectedVersion: number): Promise<boolean> {
    return this.#locks.run(key, async () => {
      const log = await this.#log(key);
      if (log.entries.length !== expectedVersion) return false;
      const checked = entrySchema.safeParse(entry);
      if (!checked.success) {
        throw new CleanRoomError('invalid_argument', `Cannot append to privacy ledger ${key} as ${JSON.stringify(entry).slice(0, 200)}: ${checked.error.issues[0]?.path.join('.')} ${checked.error.issues[0]?.message}`);
      }
      const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
      const size = log.size;
      // Opened per charge (charges are one per run): no descriptor is held per collaboration.
      const handle = await open(this.#path(key), 'r+').catch((error: unknown) => {
        throw ioError(`Cannot open privacy ledger ${this.#path(key)}`, error);
      });
      try {
        if ((await handle.stat()).size !== size) {
          // Someone else wrote this file since it was read: read it again, and let the caller retry.
          this.#logs.delete(key);
          return false;
        }
        await handle.write(line, 0, line.length, size);
        await handle.datasync();
      } catch (error) {
        // Not acknowledged, so it must not count later either.
        await handle.truncate(size).catch(() => undefined);
        throw ioError(`Cannot append a charge to privacy ledger ${this.#path(key)}`, error);
      } finally {
        await handle.close();
      }
      log.size = size + line.length;
      log.entries.push(structuredClone(entry));
      return true;
    });
  }

  #path(key: string): string {
    return join(this.#dir, `${key}.jsonl`);
  }

  #log(key: string): Promise<OpenLog> {
    if (!SAFE_KEY.test(key)) {
      return Promise.reject(new CleanRoomError('invalid_argument', `Cannot use privacy ledger key ${JSON.stringify(key.slice(0, 80))}: expected 1 to 64 letters, digits, _ or -`));
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

  async #load(key: string): Promise<OpenLog> {
    const path = this.#path(key);
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw ioError(`Cannot read privacy ledger ${path}`, error);
    });
    if (bytes === undefined) {
      const handle = await open(path, 'a', 0o600).catch((error: unknown) => {
        throw ioError(`Cannot create privacy ledger ${path}`, error);
      });
      await handle.close();
      await syncDirectory(this.#dir);
      return { entries: [], size: 0 };
    }
    // Bytes, not text: a crash may cut a line inside a multi-byte character.
    const end = bytes.lastIndexOf(0x0a) + 1;
    const torn = bytes.subarray(end);
    const entries: LedgerEntry[] = [];
    const lines = end === 0 ? [] : bytes.subarray(0, end - 1).toString('utf8').split('\n');
    for (const [index, line] of lines.entries()) {
      const entry = parseEntry(line);
      if (entry === undefined) {
        throw new CleanRoomError('io_error', `Cannot read privacy ledger ${path}: line ${index + 1} is not a ledger entry; no run of this collaboration can be charged until the file is repaired`, {
          details: { file: path, line: index + 1 },
        });
      }
      entries.push(entry);
    }
    const handle = await open(path, 'r+').catch((error: unknown) => {
      throw ioError(`Cannot open privacy ledger ${path}`, error);
    });
    try {
      let size = bytes.length;
      if (torn.length > 0) {
        const whole = parseEntry(torn.toString('utf8'));
        if (whole !== undefined) {
          // Written whole but maybe never acknowledged: counting it can only overstate the spend.
          await handle.write('\n', size);
          size += 1;
          entries.push(whole);
        } else {
          const start = end;
          await writeFile(`${path}.torn`, `${JSON.stringify({ offset: start, base64: torn.toString('base64') })}\n`, { flag: 'a', mode: 0o600 });
          await syncFile(`${path}.torn`);
          await handle.truncate(start);
          size = start;
        }
        await handle.datasync();
      }
      return { entries, size };
    } catch (error) {
      throw error instanceof CleanRoomError ? error : ioError(`Cannot repair the last line of privacy ledger ${path}`, error);
    } finally {
      await handle.close();
    }
  }
}

function parseEntry(line: string): LedgerEntry | undefined {
  return parseJsonLine(line, entrySchema) as LedgerEntry | undefined;
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
