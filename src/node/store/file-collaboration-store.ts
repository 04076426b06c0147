import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Collaboration, Run } from '../../core/collaboration/collaboration.js';
import { MemoryCollaborationStore } from '../../core/collaboration/collaboration-store.js';
import type { CollaborationStore } from '../../core/collaboration/collaboration-store.js';
import { CleanRoomError } from '../../core/errors.js';
import type { StoreCipher } from '../keys/store-cipher.js';
import { WriteQueue, removeTemporaries } from './atomic-json.js';
import { readRecord, writeRecord } from './sealed-record.js';

/** Ids become file names: anything else is simply not found. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A durable {@link CollaborationStore}: one JSON file per collaboration
 * (`<dir>/collaborations/<id>.json`) and per run (`<dir>/runs/<collaborationId>/<runId>.json`),
 * each written atomically. Everything is read into memory at open; values go in and out
 * as copies, as with the memory store.
 *
 * @example
 * ```ts
 * const store = await FileCollaborationStore.open('/data/store');
 * ```
 */
export class FileCollaborationStore implements CollaborationStore {
  readonly #dir: string;
  /** Everything, in memory, as the memory store keeps it (copies in and out); files follow. */
  readonly #cache = new MemoryCollaborationStore();
  readonly #queue = new WriteQueue();
  /** Run directories known to exist: a run is stored without a mkdir each time. */
  readonly #runDirs = new Set<string>();
  readonly #cipher: StoreCipher | undefined;

  private constructor(dir: string, cipher: StoreCipher | undefined) {
    this.#dir = dir;
    this.#cipher = cipher;
  }

  /** `cipher`: seal each file under its collaboration's key (the server does, at rest). */
  static async open(dir: string, cipher?: StoreCipher): Promise<FileCollaborationStore> {
    const store = new FileCollaborationStore(dir, cipher);
    await mkdir(join(dir, 'collaborations'), { recursive: true, mode: 0o700 });
    await mkdir(join(dir, 'runs'), { recursive: true, mode: 0o700 });
    await removeTemporaries(join(dir, 'collaborations'));
    for (const file of await readdir(join(dir, 'collaborations'))) {
      if (!file.endsWith('.json')) continue;
      const id = file.slice(0, -'.json'.length);
      await store.#cache.putCollaboration((await store.#read(join(dir, 'collaborations', file), id, 'collaboration')) as Collaboration);
    }
    for (const cid of await readdir(join(dir, 'runs'))) {
      await removeTemporaries(join(dir, 'runs', cid));
      for (const file of await readdir(join(dir, 'runs', cid))) {
        if (!file.endsWith('.json')) continue;
        await store.#cache.putRun((await store.#read(join(dir, 'runs', cid, file), cid, `run/${file.slice(0, -'.json'.length)}`)) as Run);
      }
    }
    return store;
  }

  async putCollaboration(collaboration: Collaboration): Promise<void> {
    const { id } = collaboration;
    if (!SAFE_ID.test(id)) throw new Error(`Cannot store collaboration: unsafe id`);
    // Serialised now: the caller may change its object while the write waits in the queue.
    const value: unknown = JSON.parse(JSON.stringify(collaboration));
    await this.#queue.run(`c:${id}`, () => this.#write(join(this.#dir, 'collaborations', `${id}.json`), id, 'collaboration', value));
    await this.#cache.putCollaboration(collaboration);
  }

  async getCollaboration(id: string): Promise<Collaboration | undefined> {
    return SAFE_ID.test(id) ? this.#cache.getCollaboration(id) : undefined;
  }

  listCollaborations(): Promise<Collaboration[]> {
    return this.#cache.listCollaborations();
  }

  async deleteCollaboration(id: string): Promise<void> {
    if (!SAFE_ID.test(id)) return;
    await this.#cache.deleteCollaboration(id);
    this.#runDirs.delete(join(this.#dir, 'runs', id));
    await this.#queue.run(`c:${id}`, async () => {
      await rm(join(this.#dir, 'collaborations', `${id}.json`), { force: true });
      await rm(join(this.#dir, 'runs', id), { recursive: true, force: true });
    });
  }

  async putRun(run: Run): Promise<void> {
    if (!SAFE_ID.test(run.collaborationId) || !SAFE_ID.test(run.id)) throw new Error('Cannot store run: unsafe id');
    const dir = join(this.#dir, 'runs', run.collaborationId);
    const value: unknown = JSON.parse(JSON.stringify(run));
    await this.#queue.run(`r:${run.collaborationId}:${run.id}`, async () => {
      const path = join(dir, `${run.id}.json`);
      if (!this.#runDirs.has(dir)) {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        this.#runDirs.add(dir);
      }
      const label = `run/${run.id}`;
      try {
        await this.#write(path, run.collaborationId, label, value);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // The directory went (the collaboration was deleted meanwhile): make it again, once.
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await this.#write(path, run.collaborationId, label, value);
      }
    });
    await this.#cache.putRun(run);
  }

  getRun(collaborationId: string, runId: string): Promise<Run | undefined> {
    return this.#cache.getRun(collaborationId, runId);
  }

  listRuns(collaborationId: string): Promise<Run[]> {
    return this.#cache.listRuns(collaborationId);
  }

  #write(path: string, scope: string, label: string, value: unknown): Promise<void> {
    return writeRecord(this.#cipher, path, scope, label, value);
  }

  async #read(path: string, scope: string, label: string): Promise<unknown> {
    const text = await readRecord(this.#cipher, path, scope, label);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CleanRoomError('io_error', `Cannot read ${path}: it is not JSON (${(error as Error).message})`, { details: { file: path } });
    }
  }
}
