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
 * An in-memory {@link CollaborationStore} (structured clones in and out).
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
    this.#collaborations.set(collaboration.id, copy(collaboration));
  }

  async getCollaboration(id: string): Promise<Collaboration | undefined> {
    const found = this.#collaborations.get(id);
    return found === undefined ? undefined : copy(found);
  }

  async listCollaborations(): Promise<Collaboration[]> {
    return [...this.#collaborations.values()].map(copy);
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

function copy<T>(value: T): T {
  // The template inside a collaboration is frozen; a JSON round trip keeps plain data only.
  return JSON.parse(JSON.stringify(value)) as T;
}
