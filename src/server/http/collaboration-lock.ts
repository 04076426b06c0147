/**
 * A read-write lock per collaboration, in arrival order (a waiting writer holds back later
 * readers). The room updates a collaboration by read-modify-write (datasets on upload,
 * attestations, match versions on a first run), so two such updates at once would lose one:
 * uploads and attestations take it exclusively, runs share it.
 *
 * @example
 * ```ts
 * const locks = new CollaborationLock();
 * await locks.exclusive('c_1', () => room.upload(actor, 'c_1', 'exposures', path));
 * await locks.shared('c_1', () => room.run(actor, 'c_1', 'overlap', {}));
 * ```
 */
export class CollaborationLock {
  readonly #state = new Map<string, { readers: number; writer: boolean; queue: { write: boolean; go: () => void }[] }>();

  shared<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.#with(key, false, work);
  }

  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.#with(key, true, work);
  }

  async #with<T>(key: string, write: boolean, work: () => Promise<T>): Promise<T> {
    const state = this.#state.get(key) ?? { readers: 0, writer: false, queue: [] };
    this.#state.set(key, state);
    const free = write ? !state.writer && state.readers === 0 : !state.writer && state.queue.length === 0;
    if (free) this.#enter(state, write);
    else await new Promise<void>((go) => state.queue.push({ write, go }));
    try {
      return await work();
    } finally {
      if (write) state.writer = false;
      else state.readers -= 1;
      this.#wake(key, state);
    }
  }

  #enter(state: { readers: number; writer: boolean }, write: boolean): void {
    if (write) state.writer = true;
    else state.readers += 1;
  }

  #wake(key: string, state: { readers: number; writer: boolean; queue: { write: boolean; go: () => void }[] }): void {
    while (state.queue.length > 0 && !state.writer) {
      const next = state.queue[0]!;
      if (next.write && state.readers > 0) break;
      state.queue.shift();
      this.#enter(state, next.write);
      next.go();
      if (next.write) break;
    }
    if (!state.writer && state.readers === 0 && state.queue.length === 0) this.#state.delete(key);
  }
}
