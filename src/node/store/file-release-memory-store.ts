import { z } from 'zod';
import type { MemoryRecord, ReleaseMemoryStore } from '../../core/privacy/difference/release-memory-store.js';
import type { StoreCipher } from '../keys/store-cipher.js';
import { JsonLinesLogs } from './json-lines-logs.js';

const name = z.string().min(1).max(200);
const people = z.number().int().nonnegative();
const fingerprint = z.string().regex(/^\d{1,20}$/);
// A stored sketch: Base64 of up to 8,192 four-byte cells.
const sketch = z.string().max(44_000).regex(/^[A-Za-z0-9+/]*={0,2}$/);

const recordSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('settings'), salt: z.string().regex(/^[0-9a-f]{32}$/), cells: z.number().int().min(1).max(8192) }),
  z.strictObject({ kind: z.literal('release'), runId: name, analysis: name, table: name, row: z.number().int().nonnegative(), people, fingerprint, sketch }),
  z.strictObject({ kind: z.literal('dataset'), dataset: name, version: z.number().int().nonnegative(), people, fingerprint, sketch }),
]);

/**
 * A durable {@link ReleaseMemoryStore}: one append-only JSON Lines file per collaboration,
 * `<dir>/<id>.jsonl` (mode 0600), its first line the sketch settings and then one line per
 * remembered row or dataset version, kept by {@link JsonLinesLogs} (fdatasync before a run
 * is released, the torn-line rule, `io_error` on damage). A damaged memory stops every
 * thresholded run and upload of its collaboration until it is repaired: a difference check
 * without its memory would release what it exists to hold back.
 *
 * @example
 * ```ts
 * const store = await FileReleaseMemoryStore.open('/var/lib/cleanroom/release-memory');
 * const memories = new ReleaseMemories(store);
 * ```
 */
export class FileReleaseMemoryStore implements ReleaseMemoryStore {
  readonly #logs: JsonLinesLogs<MemoryRecord>;

  private constructor(logs: JsonLinesLogs<MemoryRecord>) {
    this.#logs = logs;
  }

  /** Opens (creating it, mode 0700) the directory of memory files; each file is read on first use. */
  /** `cipher`: seal each line under its collaboration's key (the server does, at rest). */
  static async open(dir: string, cipher?: StoreCipher): Promise<FileReleaseMemoryStore> {
    const naming = { name: 'release memory', item: 'release memory record', blocked: 'no thresholded run or upload of this collaboration can proceed' };
    return new FileReleaseMemoryStore(await JsonLinesLogs.open(dir, recordSchema as z.ZodType<MemoryRecord>, naming, cipher === undefined ? undefined : (key) => cipher.lines(key, 'release-memory')));
  }

  read(key: string): Promise<readonly MemoryRecord[]> {
    return this.#logs.read(key);
  }

  append(key: string, records: readonly MemoryRecord[], expectedLength?: number): Promise<boolean> {
    return this.#logs.append(key, records, expectedLength);
  }
}
