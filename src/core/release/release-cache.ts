import type { Run } from '../collaboration/collaboration.js';
import type { CollaborationStore } from '../collaboration/collaboration-store.js';

/** Statuses whose release another identical run may reuse: not pending, not rejected. */
const REUSABLE: ReadonlySet<Run['status']> = new Set(['released', 'suppressed']);

/**
 * Finds the earlier release of an identical run (same {@link releaseKey}). It indexes, per
 * collaboration, the runs that computed a release (not the ones that reused one), read from
 * the store on first use and kept up to date as runs are stored; the run itself is re-read
 * from the store at lookup, so a run approved by review since is found, and a pending or
 * rejected one is not.
 *
 * @example
 * ```ts
 * const cache = new ReleaseCache(store);
 * const earlier = await cache.find('c_1', key); // a released or suppressed Run, or undefined
 * ```
 */
export class ReleaseCache {
  readonly #store: CollaborationStore;
  readonly #index = new Map<string, Promise<Map<string, string[]>>>();

  constructor(store: CollaborationStore) {
    this.#store = store;
  }

  /** The newest reusable run of this key in the collaboration, if any. */
  async find(collaborationId: string, key: string): Promise<Run | undefined> {
    const ids = (await this.#keys(collaborationId)).get(key) ?? [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const run = await this.#store.getRun(collaborationId, ids[i]!);
      if (run !== undefined && run.releaseKey === key && REUSABLE.has(run.status)) return run;
    }
    return undefined;
  }

  /** Records a stored run that computed its own release. */
  async remember(run: Run): Promise<void> {
    if (run.releaseKey === undefined || run.cachedFrom !== undefined) return;
    const keys = await this.#keys(run.collaborationId);
    const ids = keys.get(run.releaseKey) ?? [];
    if (!ids.includes(run.id)) ids.push(run.id);
    keys.set(run.releaseKey, ids);
  }

  #keys(collaborationId: string): Promise<Map<string, string[]>> {
    let found = this.#index.get(collaborationId);
    if (found === undefined) {
      found = this.#store.listRuns(collaborationId).then((runs) => {
        const keys = new Map<string, string[]>();
        for (const run of runs.filter((r) => r.releaseKey !== undefined && r.cachedFrom === undefined).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
          keys.set(run.releaseKey!, [...(keys.get(run.releaseKey!) ?? []), run.id]);
        }
        return keys;
      });
      this.#index.set(collaborationId, found);
      found.catch(() => this.#index.get(collaborationId) === found && this.#index.delete(collaborationId));
    }
    return found;
  }
}
