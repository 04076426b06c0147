import type { Collaboration, Run } from './collaboration.js';

/**
 * Where collaborations and runs are kept. Core declares it; the server supplies a durable
 * one, tests the memory one. Values are stored and returned as copies.
 *
 * @example
 * ```ts
 * const store: CollaborationStore = new MemoryCollaborationStore();
 * await store.putCollaboration(collaboration);
 * ```
 */
export interface CollaborationStore {
  putCollaboration(collaboration: Collaboration): Promise<void>;
  getCollaboration(id: string): Promise<Collaboration | undefined>;
  listCollaborations(): Promise<Collaboration[]>;
  deleteCollaboration(id: string): Promise<void>;
  putRun(run: Run): Promise<void>;
  getRun(collaborationId: string, runId: string): Promise<Run | undefined>;
  listRuns(collaborationId: string): Promise<Run[]>;
}

/**
 * An in-memory {@link CollaborationStore} (copies in and out; templates frozen and shared).
 *
 * @example
 * ```ts
 * const store = new MemoryCollaborationStore();
 * ```
 */
export class MemoryCollaborationStore implements CollaborationStore {
  readonly #collaborations = new Map<string, Collaboration>();
  readonly #runs = new Map<string, Map<string, Run>>();

  async putCollaboration(collaboration: Collaboration): Promise<void> {
    this.#collaborations.set(collaboration.id, copyCollaboration(collaboration));
  }

  async getCollaboration(id: string): Promise<Collaboration | undefined> {
    const found = this.#collaborations.get(id);
    return found === undefined ? undefined : copyCollaboration(found);
  }

  async listCollaborations(): Promise<Collaboration[]> {
    return [...this.#collaborations.values()].map(copyCollaboration);
  }

  async deleteCollaboration(id: string): Promise<void> {
    this.#collaborations.delete(id);
    this.#runs.delete(id);
  }

  async putRun(run: Run): Promise<void> {
    const runs = this.#runs.get(run.collaborationId) ?? new Map<string, Run>();
    runs.set(run.id, copy(run));
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

/**
 * A collaboration as stored and handed out: its changing parts copied, its template frozen
 * and shared. A template is never changed in place (it is frozen; a loosened one is a new
 * object, which is copied and frozen here), so sharing it costs nothing and lets the room
 * remember what it already checked about that very object.
 */
function copyCollaboration(collaboration: Collaboration): Collaboration {
  const { template, ...rest } = collaboration;
  if (template === null || typeof template !== 'object') return copy(collaboration);
  let shared = template;
  if (!SHARED.has(template)) {
    shared = deepFreeze(copy(template));
    SHARED.add(shared);
  }
  return { ...copy(rest), template: shared };
}

/** Templates this module copied and deep-froze itself: safe to share. */
const SHARED = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function copy<T>(value: T): T {
  // The template inside a collaboration is frozen; a JSON round trip keeps plain data only.
  return JSON.parse(JSON.stringify(value)) as T;
}
