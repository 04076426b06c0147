/**
 * Runs async work one at a time per key (a promise chain per key); different keys run in
 * parallel. Entries are dropped once their chain is idle, so memory follows live keys.
 *
 * @example
 * ```ts
 * const locks = new KeyedLock();
 * await Promise.all([locks.run('c_1', a), locks.run('c_1', b)]); // b starts after a ends
 * ```
 */
export class KeyedLock {
  readonly #chains = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => mine);
    this.#chains.set(key, chained);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.#chains.get(key) === chained) this.#chains.delete(key);
    }
  }
}
