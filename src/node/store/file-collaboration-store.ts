import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Collaboration, Run } from '../../core/room/collaboration.js';
import type { CollaborationStore } from '../../core/room/collaboration-store.js';
import { WriteQueue, removeTemporaries, writeJsonAtomic } from './atomic-json.js';

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
  readonly #collaborations = new Map<string, Collaboration>();
  readonly #runs = new Map<string, Map<string, Run>>();
  readonly #queue = new WriteQueue();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dir: string): Promise<FileCollaborationStore> {
    const store = new FileCollaborationStore(dir);
    await mkdir(join(dir, 'collaborations'), { recursive: true, mode: 0o700 });
    await mkdir(join(dir, 'runs'), { recursive: true, mode: 0o700 });
    await removeTemporaries(join(dir, 'collaborations'));
    for (const file of await readdir(join(dir, 'collaborations'))) {
      if (!file.endsWith('.json')) continue;
      const c = JSON.parse(await readFile(join(dir, 'collaborations', file), 'utf8')) as Collaboration;
      store.#collaborations.set(c.id, c);
    }
    for (const cid of await readdir(join(dir, 'runs'))) {
      const runs = new Map<string, Run>();
      await removeTemporaries(join(dir, 'runs', cid));
      for (const file of await readdir(join(dir, 'runs', cid))) {
        if (!file.endsWith('.json')) continue;
        const run = JSON.parse(await readFile(join(dir, 'runs', cid, file), 'utf8')) as Run;
        runs.set(run.id, run);
      }
      store.#runs.set(cid, runs);
    }
    return store;
  }

  async putCollaboration(collaboration: Collaboration): Promise<void> {
    const { id } = collaboration;
    if (!SAFE_ID.test(id)) throw new Error(`Cannot store collaboration: unsafe id`);
    const value = copy(collaboration);
    await this.#queue.run(`c:${id}`, () => writeJsonAtomic(join(this.#dir, 'collaborations', `${id}.json`), value));
    this.#collaborations.set(id, value);
  }

  async getCollaboration(id: string): Promise<Collaboration | undefined> {
    const found = SAFE_ID.test(id) ? this.#collaborations.get(id) : undefined;
    return found === undefined ? undefined : copy(found);
  }

  async listCollaborations(): Promise<Collaboration[]> {
    return [...this.#collaborations.values()].map(copy);
  }

  async deleteCollaboration(id: string): Promise<void> {
    if (!SAFE_ID.test(id)) return;
    this.#collaborations.delete(id);
    this.#runs.delete(id);
    await this.#queue.run(`c:${id}`, async () => {
      await rm(join(this.#dir, 'collaborations', `${id}.json`), { force: true });
      await rm(join(this.#dir, 'runs', id), { recursive: true, force: true });
    });
  }

  async putRun(run: Run): Promise<void> {
    if (!SAFE_ID.test(run.collaborationId) || !SAFE_ID.test(run.id)) throw new Error('Cannot store run: unsafe id');
    const value = copy(run);
    const dir = join(this.#dir, 'runs', run.collaborationId);
    await this.#queue.run(`r:${run.collaborationId}:${run.id}`, async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeJsonAtomic(join(dir, `${run.id}.json`), value);
    });
    const runs = this.#runs.get(run.collaborationId) ?? new Map<string, Run>();
    runs.set(run.id, value);
    this.#runs.set(run.collaborationId, runs);
  }

  async getRun(collaborationId: string, runId: string): Promise<Run | undefined> {
    const found = this.#runs.get(collaborationId)?.get(runId);
    return found === undefined ? undefined : copy(found);
  }

  async listRuns(collaborationId: string): Promise<Run[]> {
    return [...(this.#runs.get(collaborationId)?.values() ?? [])].map(copy);
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
